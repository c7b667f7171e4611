sleep 0.1 & p=$!
wait $p; echo "waited $?"
(exit 3) & wait $!; echo "status $?"
sleep 5 & k=$!
kill $k; wait $k; echo "killed $?"
for i in 1 2 3; do (exit $i) & done
wait; echo "all $?"
true & echo "bg status $?"
trap 'echo trapped' USR1
(sleep 0.2; kill -USR1 $$) &
wait
echo end
