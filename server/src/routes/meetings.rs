//! `/join?code=…`: opens the meeting a person typed; the home page's join form posts here when
//! the page is not hydrated.

use axum::extract::Query;
use axum::response::Redirect;
use meet_app::components::home::join_form::CODE_PARAM;
use meet_types::RoomCode;
use serde::Deserialize;

/// The longest input echoed back to the home page after a refused code.
const MAX_ECHOED_INPUT: usize = 200;

/// Query of `/join`.
#[derive(Debug, Deserialize)]
pub struct JoinQuery {
    #[serde(default)]
    code: String,
}

/// `GET /join?code=…`: to the meeting when `code` is a code or meeting link; otherwise back to
/// the home page with the text, where the form explains what is wrong.
pub async fn join(Query(query): Query<JoinQuery>) -> Redirect {
    match RoomCode::parse(&query.code) {
        Ok(code) => Redirect::to(&code.path()),
        Err(_) => {
            let echoed: String = query.code.chars().take(MAX_ECHOED_INPUT).collect();
            let back = serde_urlencoded::to_string([(CODE_PARAM, echoed.as_str())])
                .unwrap_or_else(|_| format!("{CODE_PARAM}="));
            Redirect::to(&format!("/?{back}#join-code"))
        }
    }
}
