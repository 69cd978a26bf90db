//! The collector of the browser's reports of violations of the Content-Security-Policy.

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The browser's reports of violations of the Content-Security-Policy.
#[derive(Clone, Default)]
pub struct CspReports(Arc<Mutex<Vec<String>>>);

impl CspReports {
    /// Listens on a free port for the browser's reports; the collector and the URL to report to
    /// (`IPOC_CSP_REPORT_URI`).
    pub async fn listen() -> (CspReports, String) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("CSP report listener");
        let url = format!("http://{}/csp", listener.local_addr().expect("address"));
        let reports = CspReports::default();
        let kept = reports.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                tokio::spawn(receive(socket, kept.clone()));
            }
        });
        (reports, url)
    }

    pub(super) fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.0.lock().expect("reports"))
    }
}

/// Reads one report (headers, then the body by its length) and answers 204.
async fn receive(mut socket: tokio::net::TcpStream, reports: CspReports) {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        let read = socket.read(&mut chunk).await.unwrap_or(0);
        if read == 0 {
            break;
        }
        buffer.extend_from_slice(&chunk[..read]);
        let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") else {
            continue;
        };
        let head = String::from_utf8_lossy(&buffer[..end]).to_lowercase();
        let length = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse::<usize>().ok())
            .unwrap_or(0);
        if buffer.len() >= end + 4 + length {
            let body = String::from_utf8_lossy(&buffer[end + 4..end + 4 + length]).to_string();
            reports.0.lock().expect("reports").push(body);
            break;
        }
    }
    let answer = b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    let _ = socket.write_all(answer).await;
}
