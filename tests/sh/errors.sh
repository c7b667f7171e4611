(echo ${unset_var?}; echo not-reached) 2>/dev/null; echo "param error $?"
(echo $((1/0)); echo not-reached) 2>/dev/null; echo "arith error $?"
(cat < /nonexistent/file; echo "continued $?") 2>/dev/null
(: < /nonexistent/file; echo not-reached) 2>/dev/null; echo "special redir $?"
(exec /nonexistent/cmd; echo not-reached) 2>/dev/null; echo "exec missing $?"
(. /nonexistent/file; echo not-reached) 2>/dev/null; echo "dot missing $?"
(set -o nonsense; echo not-reached) 2>/dev/null; echo "bad option $?"
(shift 10; echo not-reached) 2>/dev/null; echo "shift $?"
(readonly r=1; r=2; echo not-reached) 2>/dev/null; echo "readonly $?"
(nonexistent_command_q; echo "not found $?") 2>/dev/null
(cd /nonexistent/dir; echo "cd continues") 2>/dev/null
(eval 'if'; echo not-reached) 2>/dev/null; echo "eval syntax $?"
(f() { return 3; }; f; echo "func $?")
(exit 300); echo "exit wraps $?"
(trap 'echo "exit trap sees $?"' EXIT; false)
(set -e; false; echo not-reached); echo "set -e $?"
(set -u; : $nope; echo not-reached) 2>/dev/null; echo "set -u $?"
