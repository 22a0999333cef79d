//! The meeting page's parts.

pub mod meeting_link;
