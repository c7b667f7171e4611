set -a
AUTO=exported
sh -c 'echo "child sees ${AUTO-nothing}"'
set +a
NOT=local
sh -c 'echo "child sees ${NOT-nothing}"'
set -f; echo /*; set +f
set -u; echo "${unset_var-dflt}"; set +u
case $- in *u*) echo "u on";; *) echo "u off";; esac
set -e; case $- in *e*) echo "e on";; esac; set +e
set -n
echo "not executed"
set +n
set -C; echo one > c.txt; (echo two > c.txt) 2>/dev/null || echo "clobber refused"; echo three >| c.txt; cat c.txt; set +C
set -- x y z; set -e -u; echo "$# $2"
