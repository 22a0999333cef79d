//! The migrations are embedded by `sqlx::migrate!` at compile time: rebuild when one is added or
//! changed (cargo would not notice a new file on its own).

fn main() {
    println!("cargo:rerun-if-changed=../migrations");
}
