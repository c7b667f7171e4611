if true; then echo t1; fi
if false; then echo no; elif true; then echo t2; else echo no; fi
if false; then :; else echo t3; fi
if false; then :; fi; echo "if status $?"
i=0; while [ $i -lt 3 ]; do echo w$i; i=$((i+1)); done
until [ $i -eq 0 ]; do i=$((i-1)); done; echo u$i
for x in a b c; do echo -n "$x"; done; echo
for x in 1 2 3 4 5; do [ $x = 2 ] && continue; [ $x = 4 ] && break; echo f$x; done
for i in 1 2; do for j in 1 2 3; do [ $j = 2 ] && continue 2; echo $i$j; done; done
for i in 1 2; do for j in 1 2; do break 2; done; echo never; done; echo after
case foo in f*) echo c1;; *) echo no;; esac
case bar in (foo|bar) echo c2;; esac
case x in y) echo no;; esac; echo "case status $?"
case 'a*' in 'a*') echo c3;; esac
case ab in a\*) echo no;; a?) echo c4;; esac
true && echo and1; false && echo no; false || echo or1; true || echo no
! true; echo "not $?"; ! false; echo "not $?"
{ echo brace; }; (echo sub)
x=1; (x=2); echo "sub kept $x"
for x; do echo "no in: $x"; done
set -- p q; for x; do echo "args: $x"; done
while false; do :; done; echo "while status $?"
