//! One test binary: the committed schemas against the samples and the refused books
//! (`contract`), and each type's schema against serde (`agree`).

mod agree;
mod contract;
// The library's own fixtures, shared as files; not every helper is used here.
#[allow(dead_code)]
#[path = "../../../tests/desk_fixture.rs"]
mod desk_fixture;
#[allow(dead_code)]
#[path = "../../../tests/orders_fixture.rs"]
mod orders_fixture;
