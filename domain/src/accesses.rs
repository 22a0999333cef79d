//! Resource accesses: who holds which role in which room, and who may change that.

pub mod queries;
pub mod service;

pub use queries::{AccessWithUser, ResourceAccess};
