# status: 2
echo before
if then
echo after
