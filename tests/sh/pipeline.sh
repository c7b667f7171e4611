echo abc | tr a-z A-Z
printf '3\n1\n2\n' | sort | head -1
echo x | { read v; echo "got $v"; }
echo one | cat | cat | cat
seq 1 1000 2>/dev/null | tail -1 || echo 1000
yes | head -3
echo a | (read x; echo "sub $x")
f() { tr a-z A-Z; }; echo func | f
! echo x | grep -q y; echo $?
