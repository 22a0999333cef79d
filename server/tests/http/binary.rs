//! The `meet` binary itself: configuration errors name their variable, `--help` documents every
//! variable, logs can be JSON, and SIGTERM stops it cleanly.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

use crate::helpers::write_site;

/// `meet` with a clean environment: only what the test sets, plus PATH.
fn meet() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_meet"));
    command
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default());
    command
}

/// A working directory with a site root and no `.env`.
fn workdir() -> TempDir {
    let dir = TempDir::new().unwrap();
    write_site(&dir.path().join("site"));
    dir
}

fn configured(dir: &TempDir) -> Command {
    let mut command = meet();
    command
        .current_dir(dir.path())
        .env("MEET_SITE_ROOT", dir.path().join("site"))
        .env(
            "DATABASE_URL",
            format!("sqlite://{}", dir.path().join("meet.db").display()),
        )
        .env("MEET_LISTEN_ADDR", "127.0.0.1:0");
    command
}

/// Runs to completion and returns (success, stdout + stderr).
fn run(mut command: Command) -> (bool, String) {
    let output = command.output().expect("meet runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

#[test]
fn help_documents_every_variable() {
    let mut command = meet();
    command.arg("--help");
    let (ok, text) = run(command);
    assert!(ok, "{text}");
    for variable in [
        "MEET_LISTEN_ADDR",
        "DATABASE_URL",
        "LIVEKIT_URL",
        "LIVEKIT_API_KEY",
        "LIVEKIT_API_SECRET",
        "MEET_SITE_ROOT",
        "MEET_LOG_FORMAT",
        "RUST_LOG",
    ] {
        assert!(
            text.contains(variable),
            "{variable} missing from --help:\n{text}"
        );
    }
}

#[test]
fn a_bad_variable_stops_the_start_and_is_named() {
    let dir = workdir();
    let cases = [
        ("MEET_LISTEN_ADDR", "nowhere"),
        ("LIVEKIT_URL", "ftp://livekit"),
        ("MEET_LOG_FORMAT", "xml"),
        ("DATABASE_URL", "mysql://root@localhost/meet"),
        ("ANALYTICS_BACKEND", "june"),
        ("ANALYTICS_RETENTION_DAYS", "0"),
        ("ANALYTICS_POSTHOG_HOST", "ftp://posthog"),
        ("MEET_ADMIN_EMAILS", "ops@example.org,admin"),
        ("SENTRY_DSN", "not a dsn"),
    ];
    for (variable, value) in cases {
        let mut command = configured(&dir);
        command.env(variable, value);
        let (ok, text) = run(command);
        assert!(!ok, "{variable}={value} was accepted");
        assert!(text.contains(variable), "{variable} not named:\n{text}");
    }
}

#[test]
fn analytics_without_its_secret_is_refused_and_with_it_starts() {
    let dir = workdir();
    let mut command = configured(&dir);
    command.env("ANALYTICS_BACKEND", "db");
    let (ok, text) = run(command);
    assert!(!ok, "{text}");
    assert!(text.contains("ANALYTICS_SECRET must be set"), "{text}");
    let mut command = configured(&dir);
    command
        .env("ANALYTICS_BACKEND", "db,posthog")
        .env("ANALYTICS_SECRET", "s".repeat(32));
    let (ok, text) = run(command);
    assert!(!ok, "{text}");
    assert!(
        text.contains("ANALYTICS_POSTHOG_HOST and ANALYTICS_POSTHOG_KEY"),
        "{text}"
    );
    // Complete, it starts (and /metrics stays closed without its token).
    let mut command = configured(&dir);
    command
        .env("ANALYTICS_BACKEND", "db,posthog")
        .env("ANALYTICS_SECRET", "s".repeat(32))
        .env("ANALYTICS_POSTHOG_HOST", "http://127.0.0.1:9")
        .env("ANALYTICS_POSTHOG_KEY", "phc_key")
        .env("MEET_ADMIN_EMAILS", "ops@example.org, Boss@Example.org");
    let Started {
        mut child, address, ..
    } = start(command);
    assert_eq!(raw_http::get(&format!("http://{address}/healthz")), "ok");
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn a_provider_without_a_client_id_is_refused() {
    let dir = workdir();
    let mut command = configured(&dir);
    command.env("OIDC_ISSUER_URL", "https://idp.example.org");
    let (ok, text) = run(command);
    assert!(!ok, "{text}");
    assert!(
        text.contains("OIDC_RP_CLIENT_ID is required when OIDC_ISSUER_URL is set"),
        "{text}"
    );
}

#[test]
fn a_missing_front_end_is_reported_with_the_fix() {
    let dir = workdir();
    let mut command = configured(&dir);
    command.env("MEET_SITE_ROOT", dir.path().join("nothing-here"));
    let (ok, text) = run(command);
    assert!(!ok);
    assert!(
        text.contains("MEET_SITE_ROOT") && text.contains("make build"),
        "{text}"
    );
}

#[test]
fn a_broken_dotenv_file_is_reported() {
    let dir = workdir();
    std::fs::write(dir.path().join(".env"), "MEET_LISTEN_ADDR='unterminated\n").unwrap();
    let (ok, text) = run(configured(&dir));
    assert!(!ok);
    assert!(text.contains(".env"), "{text}");
}

/// A started server: the process, its address, the log line announcing it, and the rest of its log.
struct Started {
    child: Child,
    address: String,
    listening_line: String,
    stdout: BufReader<std::process::ChildStdout>,
}

/// Starts `command` and waits for the log line with the address it listens on. Reading stops
/// at end of output, so a process that exits early fails the test instead of hanging it.
fn start(mut command: Command) -> Started {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    let listening = loop {
        line.clear();
        if stdout.read_line(&mut line).unwrap_or(0) == 0 {
            break None;
        }
        if let Some(rest) = line.split("listening on http://").nth(1) {
            break rest.split('/').next().map(str::to_owned);
        }
    };
    let Some(address) = listening else {
        child.kill().ok();
        let status = child.wait();
        panic!("meet exited before listening: {status:?}");
    };
    Started {
        child,
        address,
        listening_line: line,
        stdout,
    }
}

#[test]
fn sigterm_stops_the_server_cleanly() {
    let dir = workdir();
    let Started {
        mut child,
        address,
        mut stdout,
        ..
    } = start(configured(&dir));
    let body = raw_http::get(&format!("http://{address}/healthz"));
    assert_eq!(body, "ok");

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let exit = loop {
        if let Some(exit) = child.try_wait().unwrap() {
            break exit;
        }
        assert!(Instant::now() < deadline, "meet ignored SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(exit.success(), "{exit:?}");
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stdout, &mut rest).unwrap();
    assert!(rest.contains("Meet stopped"), "{rest}");
}

#[test]
fn json_logs_are_one_object_per_line() {
    let dir = workdir();
    let mut command = configured(&dir);
    command.env("MEET_LOG_FORMAT", "json");
    let Started {
        mut child,
        listening_line,
        ..
    } = start(command);
    child.kill().unwrap();
    child.wait().unwrap();
    let object: serde_json::Value = serde_json::from_str(&listening_line).expect("a JSON line");
    assert_eq!(object["level"], "INFO", "{listening_line}");
    let message = object["message"].as_str().unwrap();
    assert!(
        message.contains("listening on http://127.0.0.1:"),
        "{listening_line}"
    );
}

mod raw_http {
    /// A blocking `GET` as a raw HTTP/1.1 exchange (the server answers with a plain body).
    pub fn get(url: &str) -> String {
        use std::io::{Read, Write};
        let rest = url.strip_prefix("http://").unwrap();
        let (host, path) = rest.split_once('/').unwrap();
        let mut stream = std::net::TcpStream::connect(host).unwrap();
        write!(
            stream,
            "GET /{path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        response
            .split("\r\n\r\n")
            .nth(1)
            .unwrap_or_default()
            .to_owned()
    }
}

/// Whether the server closes `stream` (end of stream or reset) before `guard` passes, reading
/// and discarding whatever it sends first.
fn closed_by_server(stream: &mut std::net::TcpStream, guard: Duration) -> bool {
    use std::io::Read;
    stream.set_read_timeout(Some(guard)).unwrap();
    let mut buffer = [0u8; 4096];
    loop {
        match stream.read(&mut buffer) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(error) => {
                return !matches!(
                    error.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                );
            }
        }
    }
}

#[test]
fn slow_and_idle_connections_are_closed() {
    use std::io::{Read, Write};
    let dir = workdir();
    let Started {
        mut child, address, ..
    } = start(configured(&dir));
    // Guards against a hang, well above the header timeout.
    let guard = meet_server::serve::HEADER_TIMEOUT * 3;

    // Headers that never end.
    let mut slow = std::net::TcpStream::connect(&address).unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: meet\r\nX-Slow: ")
        .unwrap();
    // A kept-alive connection that goes quiet after one request.
    let mut idle = std::net::TcpStream::connect(&address).unwrap();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: meet\r\n\r\n")
        .unwrap();
    let mut first = [0u8; 256];
    let read = idle.read(&mut first).unwrap();
    assert!(
        String::from_utf8_lossy(&first[..read]).starts_with("HTTP/1.1 200"),
        "the first request is served"
    );

    assert!(
        closed_by_server(&mut slow, guard),
        "a slow header is cut off"
    );
    assert!(
        closed_by_server(&mut idle, guard),
        "an idle connection is closed"
    );
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn a_client_holding_a_partial_header_does_not_keep_meet_running() {
    use std::io::Write;
    let dir = workdir();
    let Started {
        mut child, address, ..
    } = start(configured(&dir));
    let mut holder = std::net::TcpStream::connect(&address).unwrap();
    holder
        .write_all(b"POST /api/rooms/create HTTP/1.1\r\nHost: meet\r\n")
        .unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    // A guard against a hang: the shutdown is bounded by the grace period (and the header
    // timeout), well within this.
    let guard = Instant::now() + meet_server::serve::SHUTDOWN_GRACE * 3;
    let exit = loop {
        if let Some(exit) = child.try_wait().unwrap() {
            break exit;
        }
        if Instant::now() > guard {
            child.kill().ok();
            panic!("meet kept running after SIGTERM while a client held a partial header");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(exit.success(), "{exit:?}");
    drop(holder);
}

#[test]
fn a_development_secret_over_https_stops_the_start() {
    let dir = workdir();
    let mut command = configured(&dir);
    command.env("MEET_PUBLIC_URL", "https://meet.example.org");
    let (ok, text) = run(command);
    assert!(!ok, "{text}");
    assert!(text.contains("LIVEKIT_API_SECRET"), "{text}");
    assert_eq!(text.trim().lines().count(), 1, "one clear line: {text}");
}

#[test]
fn an_unusable_database_is_named_in_one_line() {
    let dir = workdir();
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    for (url, reason) in [
        (
            format!("sqlite://{}", dir.path().display()),
            "is a folder, not a database file",
        ),
        (
            format!("sqlite://{}/missing/meet.db", dir.path().display()),
            "does not exist",
        ),
        (
            format!("postgres://meet:hunter2@{closed}/meet"),
            "Connection refused",
        ),
    ] {
        let mut command = configured(&dir);
        command.env("DATABASE_URL", &url);
        let (ok, text) = run(command);
        assert!(!ok, "{url}: {text}");
        let lines: Vec<&str> = text.trim().lines().collect();
        assert_eq!(lines.len(), 1, "{url}: one line: {text}");
        assert!(
            lines[0].contains("DATABASE_URL=") && lines[0].contains(reason),
            "{text}"
        );
        assert!(!text.contains("hunter2"), "{text}");
    }
}

/// A line logged while answering a request names the request (its id, as in the response's
/// `x-request-id`, and its path), even when only warnings are kept.
#[test]
fn the_log_lines_of_a_request_name_its_id_whatever_the_level() {
    let dir = workdir();
    let mut command = configured(&dir);
    command
        .env("MEET_LOG_FORMAT", "json")
        // Warnings only, but the binary's own line saying where it listens (which the test
        // waits for).
        .env("RUST_LOG", "warn,meet=info")
        .env("OIDC_ISSUER_URL", "http://127.0.0.1:9/")
        .env("OIDC_RP_CLIENT_ID", "meet")
        .env("OIDC_RP_CLIENT_SECRET", "secret");
    let Started {
        mut child,
        address,
        mut stdout,
        ..
    } = start(command);
    // A callback without a login in progress: a warning, written while answering.
    raw_http::get(&format!(
        "http://{address}/api/v1.0/callback/?code=c&state=s"
    ));
    child.kill().unwrap();
    child.wait().unwrap();
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stdout, &mut rest).unwrap();
    let line = rest
        .lines()
        .find(|line| line.contains("unknown, expired or reused state"))
        .unwrap_or_else(|| panic!("no warning: {rest}"));
    let object: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
    let span = &object["span"];
    assert_eq!(span["name"], "request", "{line}");
    assert_eq!(span["path"], "/api/v1.0/callback/", "{line}");
    let id = span["id"].as_str().unwrap_or_default();
    assert!(
        id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()),
        "{line}"
    );
}

/// Nothing Meet logs, at any level, holds a secret: not the LiveKit or OIDC client secret, not
/// the database password (in the user part or `?password=`), not an OIDC callback's code or a
/// login hint from a request's query.
#[test]
fn no_secret_reaches_the_logs() {
    let dir = workdir();
    let mut command = configured(&dir);
    command
        .env("RUST_LOG", "trace")
        .env("LIVEKIT_API_SECRET", "livekit-hunter2-secret")
        .env("OIDC_ISSUER_URL", "http://127.0.0.1:9/")
        .env("OIDC_RP_CLIENT_ID", "meet")
        .env("OIDC_RP_CLIENT_SECRET", "oidc-hunter2-secret");
    let postgres = std::env::var("TEST_POSTGRES_URL").ok();
    let mut secrets = vec![
        "livekit-hunter2-secret".to_owned(),
        "oidc-hunter2-secret".to_owned(),
        "code-hunter2".to_owned(),
        "hint-hunter2".to_owned(),
    ];
    match postgres.as_deref().and_then(password_in_query) {
        Some((url, password)) => {
            command.env("DATABASE_URL", url);
            secrets.push(format!("password={password}"));
        }
        None => eprintln!("the database password part skipped: TEST_POSTGRES_URL is not set"),
    }
    let Started {
        mut child,
        address,
        listening_line,
        mut stdout,
    } = start(command);
    raw_http::get(&format!(
        "http://{address}/api/v1.0/callback/?code=code-hunter2&state=x"
    ));
    raw_http::get(&format!(
        "http://{address}/api/v1.0/authenticate/?login_hint=hint-hunter2"
    ));
    child.kill().unwrap();
    child.wait().unwrap();
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stdout, &mut rest).unwrap();
    let logs = format!("{listening_line}{rest}");
    assert!(
        logs.contains("/api/v1.0/callback/"),
        "requests are logged: {logs}"
    );
    for secret in &secrets {
        assert!(!logs.contains(secret.as_str()), "{secret} in: {logs}");
    }
}

/// `url` (with `user:password@`) rewritten to pass its password as `?password=`, and that
/// password.
fn password_in_query(url: &str) -> Option<(String, String)> {
    let (scheme, rest) = url.split_once("://")?;
    let (credentials, host) = rest.rsplit_once('@')?;
    let (user, password) = credentials.split_once(':')?;
    let separator = if host.contains('?') { '&' } else { '?' };
    Some((
        format!("{scheme}://{user}@{host}{separator}password={password}"),
        password.to_owned(),
    ))
}
