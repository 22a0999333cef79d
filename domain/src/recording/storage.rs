//! Where recordings' files are read back from: to tell whether a recording's file exists (the
//! reconciler), to serve it to its owners, and to delete it when it expires. Keys are Meet's own
//! (`{output folder}/{recording id}.{extension}`), never a requester's.

use std::path::{Component, Path, PathBuf};
use std::pin::Pin;

use async_trait::async_trait;
use tokio::io::AsyncRead;

/// Why the storage could not answer.
#[derive(Debug, thiserror::Error)]
#[error("recording storage: {0}")]
pub struct StorageError(pub String);

/// A stored file, opened for reading.
pub struct StoredFile {
    /// Its size, in bytes.
    pub size: u64,
    pub body: Pin<Box<dyn AsyncRead + Send>>,
}

/// The storage recordings' files are kept in.
#[async_trait]
pub trait RecordingStorage: Send + Sync + 'static {
    /// The size of the file at `key`, `None` when there is none.
    async fn size(&self, key: &str) -> Result<Option<u64>, StorageError>;

    /// The file at `key`, opened, `None` when there is none.
    async fn open(&self, key: &str) -> Result<Option<StoredFile>, StorageError>;

    /// Deletes the file at `key`; whether there was one.
    async fn delete(&self, key: &str) -> Result<bool, StorageError>;

    /// An address another service can read the file at `key` from for `expires`, signed by
    /// the storage; `None` when the storage cannot sign one (a folder of this machine).
    async fn signed_url(
        &self,
        _key: &str,
        _expires: std::time::Duration,
    ) -> Result<Option<String>, StorageError> {
        Ok(None)
    }
}

/// Files in a folder of this machine (the folder the recording worker writes into).
#[derive(Debug, Clone)]
pub struct FolderStorage {
    root: PathBuf,
}

impl FolderStorage {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    /// The path of `key` under the folder; `None` for a key that would leave it.
    fn path(&self, key: &str) -> Option<PathBuf> {
        let relative = Path::new(key);
        relative
            .components()
            .all(|part| matches!(part, Component::Normal(_)))
            .then(|| self.root.join(relative))
    }
}

fn failed(error: &std::io::Error) -> StorageError {
    StorageError(error.to_string())
}

#[async_trait]
impl RecordingStorage for FolderStorage {
    async fn size(&self, key: &str) -> Result<Option<u64>, StorageError> {
        let Some(path) = self.path(key) else {
            return Ok(None);
        };
        match tokio::fs::metadata(&path).await {
            Ok(metadata) if metadata.is_file() => Ok(Some(metadata.len())),
            Ok(_) => Ok(None),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(error) => Err(failed(&error)),
        }
    }

    async fn open(&self, key: &str) -> Result<Option<StoredFile>, StorageError> {
        let Some(path) = self.path(key) else {
            return Ok(None);
        };
        match tokio::fs::File::open(&path).await {
            Ok(file) => {
                let metadata = file.metadata().await.map_err(|error| failed(&error))?;
                if !metadata.is_file() {
                    return Ok(None);
                }
                Ok(Some(StoredFile {
                    size: metadata.len(),
                    body: Box::pin(file),
                }))
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(error) => Err(failed(&error)),
        }
    }

    async fn delete(&self, key: &str) -> Result<bool, StorageError> {
        let Some(path) = self.path(key) else {
            return Ok(false);
        };
        match tokio::fs::remove_file(&path).await {
            Ok(()) => Ok(true),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(error) => Err(failed(&error)),
        }
    }
}

/// Files in an S3-compatible bucket (the bucket the recording worker uploads into), read with
/// `object_store`; never handed out as bucket URLs.
#[derive(Debug)]
pub struct S3Storage {
    store: object_store::aws::AmazonS3,
}

impl S3Storage {
    /// The storage of `bucket`; nothing is asked of it until the first call.
    pub fn new(bucket: &crate::recording::worker::S3Bucket) -> Result<Self, StorageError> {
        use object_store::ClientOptions;
        use object_store::aws::AmazonS3Builder;
        // The HTTP client under object_store needs a TLS provider chosen: ring, as for every
        // other client of Meet's (a second install, or one already there, changes nothing).
        let _ = rustls::crypto::ring::default_provider().install_default();
        let options = ClientOptions::new()
            .with_allow_http(bucket.endpoint.starts_with("http://"))
            .with_connect_timeout(std::time::Duration::from_secs(5))
            .with_timeout(std::time::Duration::from_secs(60));
        let store = AmazonS3Builder::new()
            .with_endpoint(&bucket.endpoint)
            .with_region(&bucket.region)
            .with_bucket_name(&bucket.bucket)
            .with_access_key_id(&bucket.access_key)
            .with_secret_access_key(bucket.secret_key.expose())
            .with_virtual_hosted_style_request(!bucket.force_path_style)
            .with_client_options(options)
            .build()
            .map_err(|error| StorageError(error.to_string()))?;
        Ok(Self { store })
    }

    /// The object path of `key`; `None` for a key with empty, `.` or `..` parts.
    fn path(key: &str) -> Option<object_store::path::Path> {
        let plain = !key.is_empty()
            && key
                .split('/')
                .all(|part| !part.is_empty() && part != "." && part != "..");
        plain
            .then(|| object_store::path::Path::parse(key).ok())
            .flatten()
    }
}

fn s3_failed(error: &object_store::Error) -> StorageError {
    StorageError(error.to_string())
}

#[async_trait]
impl RecordingStorage for S3Storage {
    async fn size(&self, key: &str) -> Result<Option<u64>, StorageError> {
        use object_store::ObjectStoreExt;
        let Some(path) = Self::path(key) else {
            return Ok(None);
        };
        match self.store.head(&path).await {
            Ok(meta) => Ok(Some(meta.size)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(error) => Err(s3_failed(&error)),
        }
    }

    async fn open(&self, key: &str) -> Result<Option<StoredFile>, StorageError> {
        use futures_util::TryStreamExt;
        use object_store::ObjectStoreExt;
        let Some(path) = Self::path(key) else {
            return Ok(None);
        };
        match self.store.get(&path).await {
            Ok(found) => {
                let size = found.meta.size;
                let stream = found.into_stream().map_err(std::io::Error::other);
                Ok(Some(StoredFile {
                    size,
                    body: Box::pin(tokio_util::io::StreamReader::new(stream)),
                }))
            }
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(error) => Err(s3_failed(&error)),
        }
    }

    async fn signed_url(
        &self,
        key: &str,
        expires: std::time::Duration,
    ) -> Result<Option<String>, StorageError> {
        use object_store::signer::Signer;
        let Some(path) = Self::path(key) else {
            return Ok(None);
        };
        let url = self
            .store
            .signed_url(http::Method::GET, &path, expires)
            .await
            .map_err(|error| s3_failed(&error))?;
        Ok(Some(url.to_string()))
    }

    async fn delete(&self, key: &str) -> Result<bool, StorageError> {
        use object_store::ObjectStoreExt;
        // S3 answers a deletion the same whether the object was there or not.
        if self.size(key).await?.is_none() {
            return Ok(false);
        }
        let Some(path) = Self::path(key) else {
            return Ok(false);
        };
        match self.store.delete(&path).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(true),
            Err(error) => Err(s3_failed(&error)),
        }
    }
}

#[cfg(test)]
mod tests {
    use tokio::io::AsyncReadExt;

    use super::*;

    #[tokio::test]
    async fn files_are_sized_read_and_deleted_and_keys_stay_in_the_folder() {
        let folder = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(folder.path().join("recordings")).unwrap();
        std::fs::write(folder.path().join("recordings/a.mp4"), b"12345").unwrap();
        std::fs::write(folder.path().join("secret.txt"), b"no").unwrap();
        let storage = FolderStorage::new(folder.path().join("recordings"));
        assert_eq!(storage.size("a.mp4").await.unwrap(), Some(5));
        assert_eq!(storage.size("b.mp4").await.unwrap(), None);
        assert_eq!(storage.size("../secret.txt").await.unwrap(), None);
        assert_eq!(storage.size("/etc/passwd").await.unwrap(), None);
        let mut file = storage.open("a.mp4").await.unwrap().unwrap();
        let mut read = Vec::new();
        file.body.read_to_end(&mut read).await.unwrap();
        assert_eq!((file.size, read.as_slice()), (5, b"12345".as_slice()));
        assert!(storage.open("../secret.txt").await.unwrap().is_none());
        assert!(storage.delete("a.mp4").await.unwrap());
        assert!(!storage.delete("a.mp4").await.unwrap());
        assert!(!storage.delete("../secret.txt").await.unwrap());
        assert!(folder.path().join("secret.txt").exists());
    }
}
