i=0
while [ $i -lt 2000 ]; do i=$((i+1)); done
echo $i
s=
for w in a b c d e f g h; do s=$s$w; done; echo $s
n=0; while :; do n=$((n+1)); [ $n -ge 100 ] && break; done; echo $n
