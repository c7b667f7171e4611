alias say='echo said:'
say hello
alias ls='ls -d'
ls / 
alias recurse='recurse'
recurse 2>/dev/null || echo "no recursion"
alias multi='echo one; echo two'
multi
unalias say
say 2>/dev/null || echo "unaliased"
alias | grep -c multi
