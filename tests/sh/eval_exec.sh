cmd='echo evaluated'
eval $cmd
eval "a=1 b=2"; echo $a$b
eval 'for i in 1 2; do echo loop$i; done'
(exec echo exec replaced; echo not reached)
exec 5>out5; echo five >&5; exec 5>&-; cat out5
