echo $(echo a)$(echo b) `echo c`
echo "$(echo "nested $(echo deep)")"
echo $(echo $(echo $(echo three)))
x=$(printf 'trail\n\n\n'); echo "[$x]"
echo `echo \`echo inner\``
echo $(case x in x) echo case-in-subst;; esac)
echo "$(echo 'a  b')" $(echo 'a  b')
y=$(exit 3); echo $?
echo $( (echo sub) )
n=0; for i in 1 2 3; do n=$(( n + $(echo $i) )); done; echo $n
echo "$(cat <<EOF
heredoc in subst
EOF
)"
