//! Uploaded documents (an application's attachments, a patent's evaluation report): PDF or
//! images up to a limit, the type sniffed from the bytes (a name or a declared type proves
//! nothing), stored under `IPOC_DATA_DIR/attachments/` by a random name.

use std::path::{Path, PathBuf};

use crate::{error::AppError, i18n::Msg};

/// The types a document may have.
pub const ALLOWED_TYPES: [&str; 3] = ["application/pdf", "image/png", "image/jpeg"];

/// The type of `bytes` when it is a PDF, PNG or JPEG of at most `max_bytes` (422 on `file`
/// otherwise).
pub fn sniffed_type(bytes: &[u8], max_bytes: usize) -> Result<&'static str, AppError> {
    if bytes.len() > max_bytes {
        return Err(AppError::field(
            "file",
            Msg::new(
                format!("附件不得超过 {} MB", max_bytes >> 20),
                format!("an attachment may not exceed {} MB", max_bytes >> 20),
            ),
        ));
    }
    infer::get(bytes)
        .map(|kind| kind.mime_type())
        .filter(|mime| ALLOWED_TYPES.contains(mime))
        .ok_or_else(|| {
            AppError::field(
                "file",
                Msg::new(
                    "附件只能是 PDF、PNG 或 JPEG 文件",
                    "an attachment must be a PDF, PNG or JPEG file",
                ),
            )
        })
}

/// Writes `bytes` under `data_dir/attachments/` by a new random name: that name and the path
/// (for removing the file when the row that names it is not written).
pub async fn store(data_dir: &Path, bytes: &[u8]) -> Result<(String, PathBuf), AppError> {
    let stored_name = uuid::Uuid::new_v4().simple().to_string();
    let dir = data_dir.join("attachments");
    let path = dir.join(&stored_name);
    let (target, content) = (path.clone(), bytes.to_vec());
    tokio::task::spawn_blocking(move || {
        std::fs::create_dir_all(&dir)?;
        std::fs::write(&target, content)
    })
    .await
    .map_err(anyhow::Error::from)?
    .map_err(|e| AppError::Internal(anyhow::anyhow!("{}: {e}", path.display())))?;
    Ok((stored_name, path))
}

/// The bytes stored as `stored_name`.
pub async fn read(data_dir: &Path, stored_name: &str) -> Result<Vec<u8>, AppError> {
    let path = data_dir.join("attachments").join(stored_name);
    tokio::task::spawn_blocking({
        let path = path.clone();
        move || std::fs::read(path)
    })
    .await
    .map_err(anyhow::Error::from)?
    .map_err(|e| AppError::Internal(anyhow::anyhow!("{}: {e}", path.display())))
}
