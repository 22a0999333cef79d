//! The Egress service's model: room composite egresses that "record" at once and, when stopped
//! or ended, write a small file where a real egress would put the recording: the local path of a
//! file output without upload settings, or the S3-compatible bucket of its upload settings (with
//! `object_store`, as the egress uploads). Each change queues the webhook LiveKit sends:
//! `egress_started`, then `egress_updated` (active, ending), then `egress_ended`.

use livekit_protocol as proto;
use proto::EgressStatus;

use super::State;
use crate::{error::StateError, ids, webhook::events};

/// What a stand-in recording file holds.
pub const RECORDING_FILE_CONTENT: &[u8] = b"Meet LiveKit stand-in recording\n";

impl State {
    /// StartRoomCompositeEgress: a new egress of `request.room_name`, active at once. Answers it
    /// as the server does, `EGRESS_STARTING`.
    pub(crate) fn start_room_composite_egress(
        &mut self,
        request: proto::RoomCompositeEgressRequest,
    ) -> Result<proto::EgressInfo, StateError> {
        if request.room_name.is_empty() {
            return Err(StateError::InvalidArgument(
                "room name is required".to_owned(),
            ));
        }
        if request.file_outputs.is_empty()
            && request.stream_outputs.is_empty()
            && request.segment_outputs.is_empty()
            && request.image_outputs.is_empty()
        {
            return Err(StateError::InvalidArgument(
                "no outputs provided".to_owned(),
            ));
        }
        let now = now_ns();
        let file_results = request
            .file_outputs
            .iter()
            .map(|output| proto::FileInfo {
                filename: output.filepath.clone(),
                ..Default::default()
            })
            .collect();
        let mut info = proto::EgressInfo {
            egress_id: ids::new_sid("EG_"),
            room_id: self
                .room(&request.room_name)
                .map(|room| room.sid)
                .unwrap_or_default(),
            room_name: request.room_name.clone(),
            status: EgressStatus::EgressStarting as i32,
            updated_at: now,
            file_results,
            request: Some(proto::egress_info::Request::RoomComposite(request)),
            ..Default::default()
        };
        let answer = info.clone();
        self.emit(events::egress("egress_started", &info));
        info.status = EgressStatus::EgressActive as i32;
        info.started_at = now;
        self.emit(events::egress("egress_updated", &info));
        self.egresses.push(info);
        Ok(answer)
    }

    /// StopEgress: an active egress ends (`EGRESS_ENDING` answered, then complete with its file
    /// written); one that never started is aborted; a finished one cannot be stopped.
    pub(crate) fn stop_egress(&mut self, egress_id: &str) -> Result<proto::EgressInfo, StateError> {
        let info = self.egress_mut(egress_id)?;
        match EgressStatus::try_from(info.status) {
            Ok(EgressStatus::EgressActive) => {
                info.status = EgressStatus::EgressEnding as i32;
                info.updated_at = now_ns();
                let answer = info.clone();
                self.emit(events::egress("egress_updated", &answer));
                self.end_egress(egress_id, EgressStatus::EgressComplete)?;
                Ok(answer)
            }
            Ok(EgressStatus::EgressStarting) => {
                info.status = EgressStatus::EgressAborted as i32;
                let answer = info.clone();
                self.emit(events::egress("egress_ended", &answer));
                Ok(answer)
            }
            _ => Err(StateError::FailedPrecondition(format!(
                "egress with status {} cannot be stopped",
                status_name(info.status)
            ))),
        }
    }

    /// Ends the egress `egress_id` with `status` (`EGRESS_COMPLETE`, `EGRESS_LIMIT_REACHED`,
    /// `EGRESS_FAILED`, `EGRESS_ABORTED`): a complete or limit-reached one writes its files.
    pub(crate) fn end_egress(
        &mut self,
        egress_id: &str,
        status: EgressStatus,
    ) -> Result<proto::EgressInfo, StateError> {
        let now = now_ns();
        let info = self.egress_mut(egress_id)?;
        if matches!(
            EgressStatus::try_from(info.status),
            Ok(EgressStatus::EgressComplete
                | EgressStatus::EgressFailed
                | EgressStatus::EgressAborted
                | EgressStatus::EgressLimitReached)
        ) {
            return Err(StateError::FailedPrecondition(format!(
                "egress with status {} has already ended",
                status_name(info.status)
            )));
        }
        info.status = status as i32;
        info.ended_at = now;
        info.updated_at = now;
        let writes = matches!(
            status,
            EgressStatus::EgressComplete | EgressStatus::EgressLimitReached
        );
        let uploads: Vec<Option<proto::S3Upload>> = match &info.request {
            Some(proto::egress_info::Request::RoomComposite(request)) => request
                .file_outputs
                .iter()
                .map(|output| match &output.output {
                    Some(proto::encoded_file_output::Output::S3(upload)) => Some(upload.clone()),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        let started_at = info.started_at;
        for (index, file) in info.file_results.iter_mut().enumerate() {
            file.started_at = started_at;
            file.ended_at = now;
            file.duration = now - started_at;
            if writes {
                match uploads.get(index).cloned().flatten() {
                    Some(upload) => {
                        file.size = upload_file(&upload, &file.filename);
                        file.location = format!("s3://{}/{}", upload.bucket, file.filename);
                    }
                    None => {
                        file.size = write_file(&file.filename);
                        file.location.clone_from(&file.filename);
                    }
                }
            }
        }
        if status == EgressStatus::EgressFailed {
            "stand-in: the egress failed".clone_into(&mut info.error);
        }
        let ended = info.clone();
        self.emit(events::egress("egress_ended", &ended));
        Ok(ended)
    }

    /// ListEgress: the egresses of a room, or one egress, or all; only active ones when asked.
    pub(crate) fn list_egress(
        &self,
        request: &proto::ListEgressRequest,
    ) -> proto::ListEgressResponse {
        let items = self
            .egresses
            .iter()
            .filter(|info| request.room_name.is_empty() || info.room_name == request.room_name)
            .filter(|info| request.egress_id.is_empty() || info.egress_id == request.egress_id)
            .filter(|info| {
                !request.active
                    || matches!(
                        EgressStatus::try_from(info.status),
                        Ok(EgressStatus::EgressStarting
                            | EgressStatus::EgressActive
                            | EgressStatus::EgressEnding)
                    )
            })
            .cloned()
            .collect();
        proto::ListEgressResponse {
            items,
            ..Default::default()
        }
    }

    /// Every egress, in start order.
    pub(crate) fn egresses(&self) -> &[proto::EgressInfo] {
        &self.egresses
    }

    fn egress_mut(&mut self, egress_id: &str) -> Result<&mut proto::EgressInfo, StateError> {
        self.egresses
            .iter_mut()
            .find(|info| info.egress_id == egress_id)
            .ok_or(StateError::EgressNotFound)
    }
}

/// Writes the stand-in recording at `path` when it is a local path (creating its folders);
/// returns its size, 0 when nothing was written. A relative path is the egress container's, not
/// this machine's: nothing is written for it.
fn write_file(path: &str) -> i64 {
    let path = std::path::Path::new(path);
    if !path.is_absolute() {
        return 0;
    }
    let written = path
        .parent()
        .map_or(Ok(()), std::fs::create_dir_all)
        .and_then(|()| std::fs::write(path, RECORDING_FILE_CONTENT));
    match written {
        Ok(()) => i64::try_from(RECORDING_FILE_CONTENT.len()).unwrap_or(i64::MAX),
        Err(error) => {
            tracing::warn!(path = %path.display(), %error, "stand-in: cannot write the recording");
            0
        }
    }
}

/// Uploads the stand-in recording as `key` into the S3-compatible bucket of `upload`, as an
/// egress with upload settings does; returns its size, 0 when the upload failed. The upload
/// runs on a thread of its own, so that it can finish whatever runtime the caller is on.
fn upload_file(upload: &proto::S3Upload, key: &str) -> i64 {
    use object_store::aws::AmazonS3Builder;
    use object_store::{ClientOptions, ObjectStoreExt, PutPayload};
    // The HTTP client under object_store needs a TLS provider chosen (an existing one stays).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let store = AmazonS3Builder::new()
        .with_endpoint(&upload.endpoint)
        .with_region(&upload.region)
        .with_bucket_name(&upload.bucket)
        .with_access_key_id(&upload.access_key)
        .with_secret_access_key(&upload.secret)
        .with_virtual_hosted_style_request(!upload.force_path_style)
        .with_client_options(
            ClientOptions::new().with_allow_http(upload.endpoint.starts_with("http://")),
        )
        .build();
    let path = object_store::path::Path::parse(key);
    let (store, path) = match (store, path) {
        (Ok(store), Ok(path)) => (store, path),
        (Err(error), _) => {
            tracing::warn!(%error, "stand-in: unusable upload settings");
            return 0;
        }
        (_, Err(error)) => {
            tracing::warn!(%error, key, "stand-in: unusable upload key");
            return 0;
        }
    };
    let uploaded = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|error| error.to_string())?;
        runtime
            .block_on(store.put(&path, PutPayload::from_static(RECORDING_FILE_CONTENT)))
            .map_err(|error| error.to_string())
    })
    .join();
    match uploaded {
        Ok(Ok(_)) => i64::try_from(RECORDING_FILE_CONTENT.len()).unwrap_or(i64::MAX),
        Ok(Err(error)) => {
            tracing::warn!(%error, key, "stand-in: cannot upload the recording");
            0
        }
        Err(_) => 0,
    }
}

fn status_name(status: i32) -> &'static str {
    EgressStatus::try_from(status).map_or("UNKNOWN", |status| status.as_str_name())
}

/// Now, in nanoseconds since the Unix epoch (egress times are in nanoseconds).
fn now_ns() -> i64 {
    ids::now_ms().saturating_mul(1_000_000)
}
