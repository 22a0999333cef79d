//! Middleware around the dynamic routes: request bodies read within bounds, one user kept from
//! taking every database connection, and server functions' errors answered with their status.

pub mod body;
pub mod csrf;
pub mod fairness;
pub mod requester;
pub mod server_fn_status;
