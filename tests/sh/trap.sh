trap 'echo exit trap' EXIT
trap 'echo got USR1' USR1
kill -USR1 $$
echo after kill
trap - USR1
trap 'echo int' INT
trap | grep -c trap
f() { echo in f; }
trap f TERM
kill -TERM $$
echo end
