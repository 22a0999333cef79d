//! `/admin/usage`: the operators' usage page (`MEET_ADMIN_EMAILS`), rendered on the server and
//! readable without JavaScript: a chart of each figure over the chosen period with the table it
//! is drawn from, and `/admin/usage.csv` for each table. Everyone else gets 404, as for a page
//! that does not exist.

use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Response};
use chrono::NaiveDate;
use http::{HeaderValue, StatusCode, header};
use leptos::prelude::*;
use meet_domain::analytics::usage::{self, Feature, Period, Usage};
use meet_domain::{DomainError, Requester};
use serde::Deserialize;

use crate::state::AppState;

/// The period when the page is not told: the last 30 days.
const DEFAULT_DAYS: u64 = 30;

/// The page's query: `from` and `to`, days as `YYYY-MM-DD`; `table` for the CSV export.
#[derive(Debug, Default, Deserialize)]
pub struct UsageQuery {
    from: Option<String>,
    to: Option<String>,
    table: Option<String>,
}

/// The period the query asks for, or what is wrong with it.
fn period(query: &UsageQuery, today: NaiveDate) -> Result<Period, String> {
    let day = |text: &Option<String>, name: &str| -> Result<Option<NaiveDate>, String> {
        match text
            .as_deref()
            .map(str::trim)
            .filter(|text| !text.is_empty())
        {
            None => Ok(None),
            Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| format!("\"{name}\" must be a day written YYYY-MM-DD.")),
        }
    };
    let to = day(&query.to, "to")?.unwrap_or(today);
    match day(&query.from, "from")? {
        Some(from) => Period::new(from, to),
        None => Ok(Period::ending(to, DEFAULT_DAYS)),
    }
}

/// The app's "Page not found", as for any address that names nothing.
fn not_found(state: &AppState) -> Response {
    let stylesheets = state.assets.stylesheets();
    let html = view! {
        <Shell stylesheets title="Page not found">
            <section class="message-page" aria-labelledby="not-found-title">
                <h1 id="not-found-title">"Page not found"</h1>
                <p>
                    "There is nothing at this address. If you followed a meeting link, check the \
                     code: it looks like abc-defg-hij."
                </p>
                <a class="button button-primary" href="/">"Back to the home page"</a>
            </section>
        </Shell>
    }
    .to_html();
    (
        StatusCode::NOT_FOUND,
        Html(format!("<!DOCTYPE html>{html}")),
    )
        .into_response()
}

/// A page of this module: the site's head and header around `children`.
#[component]
fn Shell(stylesheets: Vec<String>, title: &'static str, children: Children) -> impl IntoView {
    view! {
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light dark" />
                <title>{format!("{title} · Meet")}</title>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                {stylesheets
                    .into_iter()
                    .map(|href| view! { <link rel="stylesheet" href=href /> })
                    .collect_view()}
            </head>
            <body>
                <a class="skip-link" href="#main">"Skip to content"</a>
                <header class="site-header">
                    <a class="brand" href="/">
                        <span class="brand-mark" aria-hidden="true"></span>
                        "Meet"
                    </a>
                </header>
                <main id="main">{children()}</main>
            </body>
        </html>
    }
}

fn failed(error: &DomainError) -> Response {
    tracing::warn!(%error, "the usage figures could not be computed");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        "The usage figures could not be computed; try again later.",
    )
        .into_response()
}

/// The figures of `period` for `requester`, or the answer that refuses them: the app's 404 for
/// anyone but an operator, a 500 in words when they cannot be computed.
async fn figures_of(
    state: &AppState,
    requester: &Requester,
    period: Period,
) -> Result<Usage, Response> {
    usage::usage(&state.services, requester, period)
        .await
        .map_err(|error| match error {
            DomainError::NotFound => not_found(state),
            error => failed(&error),
        })
}

/// `GET /admin/usage`.
pub async fn page(
    State(state): State<AppState>,
    axum::Extension(requester): axum::Extension<Requester>,
    Query(query): Query<UsageQuery>,
) -> Response {
    // Who is asking first: nobody else learns whether the page exists.
    if !usage::is_operator(&state.services, &requester) {
        return not_found(&state);
    }
    let today = state.services.clock.utc().date_naive();
    let stylesheets = state.assets.stylesheets();
    let stored = state.config.analytics.analytics_backend.db;
    let (status, figures, problem, chosen) = match period(&query, today) {
        Ok(period) => match figures_of(&state, &requester, period).await {
            Ok(figures) => (StatusCode::OK, Some(figures), None, period),
            Err(refused) => return refused,
        },
        Err(problem) => (
            StatusCode::BAD_REQUEST,
            None,
            Some(problem),
            Period::ending(today, DEFAULT_DAYS),
        ),
    };
    // The form shows the period shown, or what was typed when it could not be read.
    let (from, to) = if problem.is_none() {
        (chosen.first.to_string(), chosen.last.to_string())
    } else {
        let typed = |text: &Option<String>| {
            text.as_deref()
                .unwrap_or_default()
                .chars()
                .take(40)
                .collect()
        };
        (typed(&query.from), typed(&query.to))
    };
    let html = view! {
        <UsagePage stylesheets figures problem stored from to />
    }
    .to_html();
    (status, Html(format!("<!DOCTYPE html>{html}"))).into_response()
}

/// `GET /admin/usage.csv?table=days|features|lobby|ratings`.
pub async fn csv(
    State(state): State<AppState>,
    axum::Extension(requester): axum::Extension<Requester>,
    Query(query): Query<UsageQuery>,
) -> Response {
    if !usage::is_operator(&state.services, &requester) {
        return not_found(&state);
    }
    let today = state.services.clock.utc().date_naive();
    let period = match period(&query, today) {
        Ok(period) => period,
        Err(problem) => return (StatusCode::BAD_REQUEST, problem).into_response(),
    };
    let table = query.table.as_deref().unwrap_or("days");
    if !["days", "features", "lobby", "ratings"].contains(&table) {
        return (
            StatusCode::BAD_REQUEST,
            "\"table\" must be days, features, lobby or ratings.",
        )
            .into_response();
    }
    let figures = match figures_of(&state, &requester, period).await {
        Ok(figures) => figures,
        Err(refused) => return refused,
    };
    let filename = format!("meet-usage-{table}-{}-{}.csv", period.first, period.last);
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\""))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            ),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        to_csv(&figures, table),
    )
        .into_response()
}

/// The table `table` of `figures` as CSV (every cell a number, a day or a fixed label).
pub fn to_csv(figures: &Usage, table: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    match table {
        "features" => {
            lines.push("feature,meetings,share_of_meetings".into());
            for (feature, count) in &figures.features {
                lines.push(format!(
                    "{},{count},{:.3}",
                    feature.label(),
                    share(*count, figures.meetings)
                ));
            }
        }
        "lobby" => {
            lines.push("outcome,waits,median_wait_seconds".into());
            for waits in &figures.lobby {
                let median = waits
                    .median_wait_seconds
                    .map_or(String::new(), |seconds| seconds.to_string());
                lines.push(format!(
                    "{},{},{median}",
                    waits.outcome.as_str(),
                    waits.count
                ));
            }
        }
        "ratings" => {
            lines.push("rating,calls".into());
            for (rating, count) in (1..).zip(figures.ratings) {
                lines.push(format!("{rating},{count}"));
            }
        }
        _ => {
            lines.push("day,meetings,participants,peak_concurrent_participants".into());
            for day in &figures.days {
                lines.push(format!(
                    "{},{},{},{}",
                    day.date, day.meetings, day.participants, day.peak_concurrent
                ));
            }
        }
    }
    lines.push(String::new());
    lines.join("\r\n")
}

fn share(count: u32, total: u32) -> f64 {
    if total == 0 {
        0.0
    } else {
        f64::from(count) / f64::from(total)
    }
}

/// `seconds` in words: "1 h 05 min", "12 min 30 s", "45 s".
fn duration(seconds: u32) -> String {
    let (hours, minutes, seconds) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if hours > 0 {
        format!("{hours} h {minutes:02} min")
    } else if minutes > 0 {
        format!("{minutes} min {seconds:02} s")
    } else {
        format!("{seconds} s")
    }
}

#[component]
fn UsagePage(
    stylesheets: Vec<String>,
    figures: Option<Usage>,
    problem: Option<String>,
    stored: bool,
    from: String,
    to: String,
) -> impl IntoView {
    let csv = |table: &str| format!("/admin/usage.csv?from={from}&to={to}&table={table}");
    let (days_csv, features_csv, lobby_csv, ratings_csv) =
        (csv("days"), csv("features"), csv("lobby"), csv("ratings"));
    view! {
        <Shell stylesheets title="Usage">
                <div class="usage">
                    <h1>"Usage"</h1>
                    <p class="lead">
                        "How people use Meet, from its own product events. Days are in UTC."
                    </p>
                    {(!stored)
                        .then(|| {
                            view! {
                                <p class="usage-note" role="note">
                                    "Events are not stored in Meet's database: set "
                                    <code>"ANALYTICS_BACKEND=db"</code>
                                    " (with " <code>"ANALYTICS_SECRET"</code>
                                    ") to see figures here."
                                </p>
                            }
                        })}
                    <form class="usage-period" method="get" action="/admin/usage">
                        <label>"From " <input type="date" name="from" value=from.clone() required /></label>
                        <label>"To " <input type="date" name="to" value=to.clone() required /></label>
                        <button class="button button-primary" type="submit">"Show"</button>
                    </form>
                    {problem
                        .map(|problem| {
                            view! {
                                <p class="usage-error" role="alert">{problem}</p>
                            }
                        })}
                    {figures
                        .map(|figures| {
                            view! {
                                <Figures figures days_csv features_csv lobby_csv ratings_csv />
                            }
                        })}
                </div>
        </Shell>
    }
}

#[component]
fn Figures(
    figures: Usage,
    days_csv: String,
    features_csv: String,
    lobby_csv: String,
    ratings_csv: String,
) -> impl IntoView {
    let mean = figures
        .mean_rating()
        .map_or("none yet".to_owned(), |mean| format!("{mean:.1} / 5"));
    let Usage {
        period,
        days,
        meetings,
        participants,
        peak_concurrent,
        median_meeting_seconds,
        features,
        lobby,
        ratings,
        logins,
        rooms_created,
        media_server_unreachable,
        partial,
    } = figures;
    let median = median_meeting_seconds.map_or("none yet".to_owned(), duration);
    let labels: Vec<String> = days
        .iter()
        .map(|day| day.date.format("%b %-d").to_string())
        .collect();
    let series = |pick: fn(&usage::Day) -> u32| days.iter().map(pick).collect::<Vec<u32>>();
    let summary = [
        ("Meetings", meetings.to_string()),
        ("Participants", participants.to_string()),
        ("Peak at once", peak_concurrent.to_string()),
        ("Median meeting", median),
        ("Logins", logins.to_string()),
        ("Rooms created", rooms_created.to_string()),
        (
            "Media server unreachable",
            media_server_unreachable.to_string(),
        ),
        ("Mean rating", mean),
    ];
    let percent = |count: u32| (share(count, meetings) * 100.0).round() as u32;
    let day_rows: Vec<Vec<String>> = days
        .iter()
        .map(|day| {
            vec![
                day.date.to_string(),
                day.meetings.to_string(),
                day.participants.to_string(),
                day.peak_concurrent.to_string(),
            ]
        })
        .collect();
    let feature_rows: Vec<Vec<String>> = features
        .iter()
        .map(|(feature, count)| {
            vec![
                feature.label().to_owned(),
                count.to_string(),
                format!("{} %", percent(*count)),
            ]
        })
        .collect();
    let lobby_rows: Vec<Vec<String>> = lobby
        .iter()
        .map(|waits| {
            let median = waits.median_wait_seconds.map_or("—".to_owned(), duration);
            vec![
                outcome_label(waits.outcome).to_owned(),
                waits.count.to_string(),
                median,
            ]
        })
        .collect();
    let rating_rows: Vec<Vec<String>> = (1..=5u32)
        .zip(ratings)
        .map(|(rating, count)| vec![rating.to_string(), count.to_string()])
        .collect();
    let caption = format!("{} to {}", period.first, period.last);
    view! {
        {partial
            .then(|| {
                view! {
                    <p class="usage-error" role="alert">
                        "More events than can be read at once occurred in this period: the \
                         figures cover its first "
                        {usage::MAX_EVENTS.to_string()}
                        " events. Choose a shorter period."
                    </p>
                }
            })}
        <section aria-labelledby="summary-heading">
            <h2 id="summary-heading">"Summary, " {caption}</h2>
            <dl class="usage-summary">
                {summary
                    .into_iter()
                    .map(|(name, value)| {
                        view! {
                            <div>
                                <dt>{name}</dt>
                                <dd>{value}</dd>
                            </div>
                        }
                    })
                    .collect_view()}
            </dl>
        </section>
        <section aria-labelledby="days-heading">
            <h2 id="days-heading">"Day by day"</h2>
            <BarChart title="Meetings per day" labels=labels.clone() values=series(|day| day.meetings) />
            <BarChart title="Participants per day" labels=labels.clone() values=series(|day| day.participants) />
            <BarChart title="Peak participants at once, per day" labels values=series(|day| day.peak_concurrent) />
            <DataTable caption="Day by day" headers=vec!["Day", "Meetings", "Participants", "Peak at once"]
                rows=day_rows csv=days_csv csv_label="Day by day as CSV" />
        </section>
        <section aria-labelledby="features-heading">
            <h2 id="features-heading">"Features used"</h2>
            <BarChart title="Share of meetings using each feature (%)"
                labels=Feature::ALL.iter().map(|feature| feature.label().to_owned()).collect()
                values=features.iter().map(|(_, count)| percent(*count)).collect() />
            <DataTable caption="Meetings using each feature" headers=vec!["Feature", "Meetings", "Share"]
                rows=feature_rows csv=features_csv csv_label="Features used as CSV" />
        </section>
        <section aria-labelledby="lobby-heading">
            <h2 id="lobby-heading">"Lobby waits"</h2>
            <BarChart title="Waits in a lobby, by how they ended"
                labels=lobby.iter().map(|waits| outcome_label(waits.outcome).to_owned()).collect()
                values=lobby.iter().map(|waits| waits.count).collect() />
            <DataTable caption="How waits in a lobby ended" headers=vec!["Outcome", "Waits", "Median wait"]
                rows=lobby_rows csv=lobby_csv csv_label="Lobby waits as CSV" />
        </section>
        <section aria-labelledby="ratings-heading">
            <h2 id="ratings-heading">"Call ratings"</h2>
            <BarChart title="Calls rated 1 (bad) to 5 (excellent)"
                labels=(1..=5).map(|rating: u32| rating.to_string()).collect()
                values=ratings.to_vec() />
            <DataTable caption="Ratings" headers=vec!["Rating", "Calls"]
                rows=rating_rows csv=ratings_csv csv_label="Call ratings as CSV" />
        </section>
    }
}

/// A table under its `caption`, with a header row of `headers` and `rows` whose first cell
/// heads the row, and a link to the same table as CSV.
#[component]
fn DataTable(
    caption: &'static str,
    headers: Vec<&'static str>,
    rows: Vec<Vec<String>>,
    csv: String,
    csv_label: &'static str,
) -> impl IntoView {
    view! {
        <table class="usage-table">
            <caption>{caption}</caption>
            <thead>
                <tr>
                    {headers
                        .into_iter()
                        .map(|header| view! { <th scope="col">{header}</th> })
                        .collect_view()}
                </tr>
            </thead>
            <tbody>
                {rows
                    .into_iter()
                    .map(|row| {
                        let mut cells = row.into_iter();
                        let head = cells.next().unwrap_or_default();
                        view! {
                            <tr>
                                <th scope="row">{head}</th>
                                {cells.map(|cell| view! { <td>{cell}</td> }).collect_view()}
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
        <p class="usage-csv">
            <a href=csv>{csv_label}</a>
        </p>
    }
}

/// What people call how a lobby wait ended.
fn outcome_label(outcome: meet_domain::analytics::LobbyOutcome) -> &'static str {
    match outcome {
        meet_domain::analytics::LobbyOutcome::Admitted => "Let in",
        meet_domain::analytics::LobbyOutcome::Denied => "Refused",
    }
}

/// A bar chart of `values`, one bar per label, drawn in SVG. Hidden from screen readers: the
/// table beside it says the same.
#[component]
fn BarChart(title: &'static str, labels: Vec<String>, values: Vec<u32>) -> impl IntoView {
    const WIDTH: f64 = 720.0;
    const HEIGHT: f64 = 160.0;
    const AXIS: f64 = 22.0;
    // Room for the first and last labels, centred under their bars.
    const PAD: f64 = 28.0;
    let max = values.iter().copied().max().unwrap_or(0).max(1);
    let count = values.len().max(1) as f64;
    let slot = (WIDTH - 2.0 * PAD) / count;
    let bar = (slot * 0.7).max(1.0);
    // Label at most about 12 bars, evenly.
    let every = (values.len() / 12).max(1);
    let bars = values
        .iter()
        .zip(labels)
        .enumerate()
        .map(|(index, (value, label))| {
            let height = f64::from(*value) / f64::from(max) * (HEIGHT - AXIS - 14.0);
            let x = PAD + index as f64 * slot + (slot - bar) / 2.0;
            let y = HEIGHT - AXIS - height;
            let shown = (index % every == 0).then(|| {
                view! {
                    <text class="chart-label" x=format!("{:.1}", x + bar / 2.0) y=format!("{:.1}", HEIGHT - 6.0) text-anchor="middle">{label.clone()}</text>
                }
            });
            let value_label = (*value > 0 && values.len() <= 31).then(|| {
                view! {
                    <text class="chart-value" x=format!("{:.1}", x + bar / 2.0) y=format!("{:.1}", y - 3.0) text-anchor="middle">{value.to_string()}</text>
                }
            });
            view! {
                <rect class="chart-bar" x=format!("{x:.1}") y=format!("{y:.1}") width=format!("{bar:.1}") height=format!("{height:.1}")>
                    <title>{format!("{label}: {value}")}</title>
                </rect>
                {value_label}
                {shown}
            }
        })
        .collect_view();
    view! {
        <figure class="usage-chart">
            <figcaption>{title}</figcaption>
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") aria-hidden="true" focusable="false">
                <line class="chart-axis" x1="0" x2=WIDTH.to_string() y1=(HEIGHT - AXIS).to_string() y2=(HEIGHT - AXIS).to_string() />
                {bars}
            </svg>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn the_period_is_read_from_the_query() {
        let today = day("2026-11-30");
        let query = |from: Option<&str>, to: Option<&str>| UsageQuery {
            from: from.map(Into::into),
            to: to.map(Into::into),
            table: None,
        };
        assert_eq!(
            period(&query(None, None), today),
            Ok(Period::ending(today, DEFAULT_DAYS))
        );
        assert_eq!(
            period(&query(Some("2026-11-01"), Some("2026-11-02")), today),
            Period::new(day("2026-11-01"), day("2026-11-02"))
        );
        assert!(period(&query(Some("yesterday"), None), today).is_err());
        assert!(period(&query(Some("2026-11-02"), Some("2026-11-01")), today).is_err());
        assert!(
            period(&query(Some("<script>"), None), today)
                .unwrap_err()
                .contains("from")
        );
    }

    #[test]
    fn durations_read_well() {
        assert_eq!(duration(45), "45 s");
        assert_eq!(duration(750), "12 min 30 s");
        assert_eq!(duration(3900), "1 h 05 min");
    }
}
