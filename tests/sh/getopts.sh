set -- -a -b arg -c rest
while getopts ab:c o; do echo "opt $o ${OPTARG-}"; done
shift $((OPTIND-1)); echo "rest: $@"
OPTIND=1
while getopts :x: o -y -x; do echo "o=$o arg=${OPTARG-}"; done
OPTIND=1
set -- -abval
while getopts ab: o; do echo "$o ${OPTARG-}"; done
