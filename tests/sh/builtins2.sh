f() { echo fn; }
type f | head -1
command -v f
command -V cd
hash -r; hash cat 2>/dev/null && echo hashed
kill -l 15
umask 027; umask; umask -S; umask u=rwx,g=rx,o=; umask
ulimit -n >/dev/null && echo ulimit ok
times > /dev/null && echo times ok
x=1; unset x; echo "${x-unset}"
(readonly ro=1; unset ro 2>/dev/null; echo "not reached"); echo "sub $?"
OPTIND=1; while getopts "ab:" o -a -b val extra; do echo "$o ${OPTARG-}"; done; echo "OPTIND=$OPTIND"
echo "$(command echo via-command)"
cd /; echo $PWD; cd - >/dev/null; echo back
cd /tmp && cd .. && echo "$PWD"
