//! The email owners get when their screen recording is ready: in their language (English or
//! French) and time zone, with the link to its page and until when it is kept.

use chrono::{DateTime, Utc};

use crate::mailer::Email;
use crate::recording::queries::Recording;
use crate::users::User;

/// The email telling `owner` that `recording` of the meeting `room_name` is ready at `link`,
/// kept until `expires`; `None` when they have no email address.
pub fn ready_email(
    owner: &User,
    room_name: &str,
    recording: &Recording,
    link: &str,
    expires: Option<DateTime<Utc>>,
) -> Option<Email> {
    let to = owner.email.clone().filter(|email| !email.is_empty())?;
    let zone: chrono_tz::Tz = owner.timezone.parse().unwrap_or(chrono_tz::UTC);
    let french = owner.language.starts_with("fr");
    let when = |at: DateTime<Utc>| {
        let local = at.with_timezone(&zone);
        if french {
            format!("{} ({zone})", local.format("%d/%m/%Y à %H:%M"))
        } else {
            format!("{} ({zone})", local.format("%-d %B %Y at %H:%M"))
        }
    };
    let name = owner
        .short_name
        .clone()
        .or_else(|| owner.full_name.clone())
        .unwrap_or_default();
    let made = when(recording.created_at);
    let (subject, text) = if french {
        let kept = match expires {
            Some(at) => format!("Il est conservé jusqu'au {}.", when(at)),
            None => "Il est conservé jusqu'à ce que vous le supprimiez.".to_owned(),
        };
        (
            format!("Votre enregistrement de « {room_name} » est prêt"),
            format!(
                "Bonjour {name},\n\nL'enregistrement de la réunion « {room_name} » du {made} est \
                 prêt.\n\nTéléchargez-le ici : {link}\n\n{kept}\n\n— Meet\n"
            ),
        )
    } else {
        let kept = match expires {
            Some(at) => format!("It is kept until {}.", when(at)),
            None => "It is kept until you delete it.".to_owned(),
        };
        (
            format!("Your recording of \"{room_name}\" is ready"),
            format!(
                "Hello {name},\n\nThe recording of the meeting \"{room_name}\" made on {made} is \
                 ready.\n\nDownload it here: {link}\n\n{kept}\n\n— Meet\n"
            ),
        )
    };
    Some(Email { to, subject, text })
}
