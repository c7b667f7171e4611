cat > lib.sh <<'EOF'
libvar=fromlib
libfn() { echo "libfn $1"; }
EOF
. ./lib.sh
echo $libvar; libfn x
echo 'return 3; echo no' > ret.sh
. ./ret.sh; echo "dot status $?"
