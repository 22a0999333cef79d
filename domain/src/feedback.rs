//! Feedback after a call (the `/feedback` page): a rating of the call's quality from 1 to 5, an
//! optional comment, why the call ended and in which meeting, as the page was told, kept for the
//! deployment's operators. Anyone may send it, guests too; a logged-in sender is remembered
//! until their account is deleted.
//!
//! Each piece of feedback is small (a comment of at most [`MAX_COMMENT_CHARS`] characters, a
//! meeting address of at most [`MAX_ROOM_SLUG_CHARS`]), but nothing limits how many one browser
//! sends: a deployment that sees abuse puts a rate limit in front of the endpoint.

pub mod queries;

use uuid::Uuid;

use crate::error::{DomainError, FieldErrors};
use crate::requester::Requester;
use crate::services::Services;

pub use meet_types::EndReason;
pub use meet_types::feedback::MAX_COMMENT_CHARS;

/// The longest meeting address.
pub const MAX_ROOM_SLUG_CHARS: usize = 255;

/// The ratings, from worst to best.
pub const RATINGS: std::ops::RangeInclusive<u8> = 1..=5;

/// Feedback as sent. Blank texts count as absent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Feedback {
    /// From 1 (bad) to 5 (excellent).
    pub rating: u8,
    pub comment: Option<String>,
    /// One of [`EndReason`]'s names.
    pub reason: Option<String>,
    /// The address of the meeting the call was in (a slug or meeting code, in any case).
    pub room_slug: Option<String>,
}

/// Feedback checked, as it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidFeedback {
    pub rating: u8,
    /// Trimmed, not blank.
    pub comment: Option<String>,
    pub reason: Option<EndReason>,
    /// Lowercased.
    pub room_slug: Option<String>,
}

/// Checks `feedback`, naming every wrong field (`rating`, `comment`, `reason`, `room`): a rating
/// from 1 to 5; a comment of at most [`MAX_COMMENT_CHARS`] characters once trimmed, without
/// control characters other than line breaks and tabs; a known reason; a meeting address made of
/// ASCII letters, digits, `-` and `_`, at most [`MAX_ROOM_SLUG_CHARS`] long.
pub fn validate(feedback: Feedback) -> Result<ValidFeedback, FieldErrors> {
    let mut errors = FieldErrors::default();
    if !RATINGS.contains(&feedback.rating) {
        errors.add("rating", "Ensure this value is between 1 and 5.");
    }
    let comment = given(feedback.comment).filter(|comment| {
        // Bytes first: counting the characters of a huge comment would be work for nothing.
        if comment.len() > 4 * MAX_COMMENT_CHARS || comment.chars().count() > MAX_COMMENT_CHARS {
            let message =
                format!("Ensure this field has no more than {MAX_COMMENT_CHARS} characters.");
            errors.add("comment", message);
            false
        } else if comment
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        {
            errors.add(
                "comment",
                "This field may not contain control characters other than line breaks and tabs.",
            );
            false
        } else {
            true
        }
    });
    let reason = given(feedback.reason).and_then(|text| {
        let reason = EndReason::parse(&text);
        if reason.is_none() {
            let text: String = text.chars().take(50).collect();
            errors.add("reason", format!("\"{text}\" is not a valid choice."));
        }
        reason
    });
    let room_slug = given(feedback.room_slug).and_then(|slug| {
        let shaped = slug.len() <= MAX_ROOM_SLUG_CHARS
            && slug
                .bytes()
                .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_'));
        if shaped {
            Some(slug.to_ascii_lowercase())
        } else {
            errors.add(
                "room",
                format!(
                    "Enter a meeting address: letters, digits, \"-\" and \"_\", at most \
                     {MAX_ROOM_SLUG_CHARS} characters."
                ),
            );
            None
        }
    });
    errors.into_result()?;
    Ok(ValidFeedback {
        rating: feedback.rating,
        comment,
        reason,
        room_slug,
    })
}

/// `text` trimmed, `None` when absent or blank.
fn given(text: Option<String>) -> Option<String> {
    text.map(|text| text.trim().to_owned())
        .filter(|text| !text.is_empty())
}

/// Stores `feedback` from `requester` (remembering the user when logged in), at the services'
/// clock time, once it is valid (see [`validate`]: invalid feedback stores nothing). Returns the
/// id of the stored feedback.
pub async fn record(
    services: &Services,
    requester: &Requester,
    feedback: Feedback,
) -> Result<Uuid, DomainError> {
    let feedback = validate(feedback)?;
    let user = requester.user.as_deref().map(|user| user.id);
    let id = queries::insert(&services.store, &feedback, user, services.clock.utc()).await?;
    tracing::debug!(%id, rating = feedback.rating, "feedback recorded");
    let rated = crate::analytics::Event::FeedbackRated {
        rating: feedback.rating,
    };
    let actor = requester
        .user
        .as_deref()
        .map_or(crate::analytics::Actor::Nobody, crate::services::user_actor);
    services.emit(rated, actor, crate::analytics::Place::default());
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feedback(rating: u8) -> Feedback {
        Feedback {
            rating,
            ..Feedback::default()
        }
    }

    #[test]
    fn reasons_round_trip() {
        for reason in EndReason::ALL {
            assert_eq!(EndReason::parse(reason.as_str()), Some(reason));
        }
        assert_eq!(EndReason::parse("Left"), None);
    }

    #[test]
    fn valid_feedback_is_tidied() {
        let valid = validate(Feedback {
            rating: 4,
            comment: Some("  Sound cut out.\n\tThen fine.  ".into()),
            reason: Some(" connection_lost ".into()),
            room_slug: Some("ABC-DEFG-HIJ".into()),
        })
        .expect("valid");
        assert_eq!(
            valid,
            ValidFeedback {
                rating: 4,
                comment: Some("Sound cut out.\n\tThen fine.".into()),
                reason: Some(EndReason::ConnectionLost),
                room_slug: Some("abc-defg-hij".into()),
            }
        );
        let blank = validate(Feedback {
            rating: 1,
            comment: Some("   ".into()),
            reason: Some(String::new()),
            room_slug: Some(" ".into()),
        })
        .expect("valid");
        assert_eq!(
            (blank.comment, blank.reason, blank.room_slug),
            (None, None, None)
        );
        let longest = "é".repeat(MAX_COMMENT_CHARS);
        let valid = validate(Feedback {
            comment: Some(longest.clone()),
            ..feedback(5)
        })
        .expect("valid");
        assert_eq!(valid.comment, Some(longest));
    }

    #[test]
    fn each_wrong_field_is_named() {
        for rating in [0, 6, 255] {
            let errors = validate(feedback(rating)).expect_err("refused");
            assert!(errors.0.contains_key("rating"), "{rating}");
        }
        let errors = validate(Feedback {
            rating: 0,
            comment: Some("a".repeat(MAX_COMMENT_CHARS + 1)),
            reason: Some("bored".into()),
            room_slug: Some("a".repeat(MAX_ROOM_SLUG_CHARS + 1)),
        })
        .expect_err("refused");
        let fields: Vec<&str> = errors.0.keys().map(String::as_str).collect();
        assert_eq!(fields, ["comment", "rating", "reason", "room"]);
        for comment in ["nul\0byte", "escape\u{1b}[31m", "next\u{85}line"] {
            let errors = validate(Feedback {
                comment: Some(comment.into()),
                ..feedback(3)
            })
            .expect_err("refused");
            assert!(errors.0.contains_key("comment"), "{comment:?}");
        }
        for slug in ["a/b", "réunion", "a b", "../x", "a\0"] {
            let errors = validate(Feedback {
                room_slug: Some(slug.into()),
                ..feedback(3)
            })
            .expect_err("refused");
            assert!(errors.0.contains_key("room"), "{slug:?}");
        }
    }
}
