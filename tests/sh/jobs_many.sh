# Many background jobs ending at once: each keeps its own exit status for wait PID.
i=0; while [ $i -lt 300 ]; do ( exit $((i % 7)) ) & eval "p$i=\$!"; i=$((i+1)); done
i=0; bad=0; while [ $i -lt 300 ]; do eval "wait \$p$i"; [ $? -eq $((i % 7)) ] || bad=$((bad+1)); i=$((i+1)); done; echo bad=$bad
