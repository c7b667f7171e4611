//! true, false — do nothing, successfully or not (POSIX). Options are ignored.
use crate::common::Cx;

pub fn true_main(_cx: &mut Cx) -> i32 {
    0
}

pub fn false_main(_cx: &mut Cx) -> i32 {
    1
}
