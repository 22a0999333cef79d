//! Middleware around the dynamic routes: request bodies read within bounds, one user kept from
//! taking every database connection, server functions' errors answered with their status, and
//! meeting pages remembered as rendered.

pub mod body;
pub mod csrf;
pub mod fairness;
pub mod meeting_pages;
pub mod requester;
pub mod server_fn_status;
