x=1
(x=2; echo "in $x"); echo "out $x"
(cd /; pwd); pwd | grep -q / && echo cwd kept
(exit 4); echo $?
( (echo nested) )
echo $( (exit 5); echo $? )
{ x=3; }; echo "brace $x"
a=$(x=9; echo $x); echo "$a $x"
(trap 'echo sub exit' EXIT; echo body)
