mkdir -p g/sub && cd g || exit 1
touch a.c b.c c.h .hidden.c 'sp ace.c' sub/x.c
echo *.c
echo *.h ?.c
echo [ab].c [!a].c
echo [[:alpha:]].h
echo *.none
echo "*.c" '*.c' \*.c
echo sub/*.c */x.c
echo .*.c
set -f; echo *.c; set +f
for f in *.c; do echo "<$f>"; done
x='*.h'; echo $x "$x"
echo [a-b].c
case x.c in *.c) echo matched;; esac
