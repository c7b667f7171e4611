x=$(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo deep))))))))
echo $x
((((((((((echo parens))))))))))
f() { if [ $1 -gt 0 ]; then f $(($1-1)); else echo bottom; fi; }
f 100
echo "${a:-${b:-${c:-${d:-${e:-nested}}}}}"
