//! Middleware around the dynamic routes: request bodies read within bounds, one user kept from
//! taking every database connection, and server functions' errors answered with their status.

pub mod body;
pub mod fairness;
pub mod server_fn_status;
