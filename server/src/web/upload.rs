//! Multipart uploads: the `file` part within its limit (413 `too_large` above, after the rest of
//! the body is read so the client sees the answer) and the form's text fields.

use std::collections::HashMap;

use actix_multipart::Multipart;
use futures_util::StreamExt;

use crate::{
    error::AppError,
    i18n::{Msg, byte_size},
};

/// Largest text field of a multipart form (a CSRF token, a note).
const MAX_TEXT_FIELD_BYTES: usize = 64 << 10;

/// How much of a body over its limit is read (and thrown away) so that the client, still sending,
/// receives the 413 instead of a reset connection; past this the connection is closed.
fn drain_bytes(limit: usize) -> usize {
    limit.saturating_mul(4).max(16 << 20)
}

/// The `file` part of a multipart body of at most `limit` bytes: its name and bytes.
pub async fn read_file(multipart: Multipart, limit: usize) -> Result<(String, Vec<u8>), AppError> {
    read_form(multipart, limit)
        .await
        .map(|(name, bytes, _)| (name, bytes))
}

/// The `file` part of a page's multipart form (at most `limit` bytes), its CSRF token checked
/// (403): the file's name and bytes.
pub async fn read_page_file(
    req: &actix_web::HttpRequest,
    multipart: Multipart,
    limit: usize,
) -> Result<(String, Vec<u8>), AppError> {
    use crate::auth::csrf;
    let (name, bytes, fields) = read_form(multipart, limit).await?;
    let token = fields.get(csrf::CSRF_FIELD).map(String::as_str);
    csrf::verify(req, token.unwrap_or(""))?;
    Ok((name, bytes))
}

/// A multipart form: the `file` part's name and bytes (at most `limit`: 413 `too_large` above),
/// and the other (text) fields.
pub async fn read_form(
    mut multipart: Multipart,
    limit: usize,
) -> Result<(String, Vec<u8>, HashMap<String, String>), AppError> {
    let unreadable =
        || AppError::BadRequest(Msg::new("上传内容无法读取", "the upload could not be read"));
    let mut file = None;
    let mut fields = HashMap::new();
    let (mut received, mut over) = (0usize, None);
    while let Some(field) = multipart.next().await {
        let mut field = field.map_err(|_| unreadable())?;
        let disposition = field.content_disposition().cloned();
        let field_name = disposition
            .as_ref()
            .and_then(|d| d.get_name())
            .unwrap_or_default()
            .to_string();
        let field_limit = if field_name == "file" {
            limit
        } else {
            MAX_TEXT_FIELD_BYTES
        };
        let mut bytes = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|_| unreadable())?;
            received = received.saturating_add(chunk.len());
            if over.is_none() && bytes.len() + chunk.len() > field_limit {
                over = Some((field_name.clone(), field_limit));
                bytes = Vec::new();
            }
            if over.is_some() {
                if received > drain_bytes(limit) {
                    break;
                }
                continue;
            }
            bytes.extend_from_slice(&chunk);
        }
        if field_name == "file" {
            let name = disposition
                .as_ref()
                .and_then(|d| d.get_filename())
                .unwrap_or("upload.xlsx")
                .to_string();
            file = Some((name, bytes));
        } else {
            fields.insert(field_name, String::from_utf8_lossy(&bytes).into_owned());
        }
        if received > drain_bytes(limit) {
            break;
        }
    }
    if let Some((name, limit)) = over {
        return Err(AppError::too_large(
            Msg::new(
                format!("上传内容“{name}”"),
                format!("the upload field '{name}'"),
            ),
            Msg::new(byte_size(limit), byte_size(limit)),
        ));
    }
    match file {
        Some((name, bytes)) if !bytes.is_empty() => Ok((name, bytes, fields)),
        _ => Err(AppError::field(
            "file",
            Msg::new(
                "请选择要上传的文件（字段名 file）",
                "a multipart field named `file` is required",
            ),
        )),
    }
}
