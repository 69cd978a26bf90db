//! Hostile files and bodies sent to a separate `ipoc` process (the files of
//! `bench/hostile_files.py`, the zip bomb at 320 MiB here and 1 GiB in the benchmark): each is
//! refused with a clear 4xx naming the limit it is past, the answer stays small, and the process
//! is still running and healthy afterwards. Times and peak memory: `bench/faults.sh`.

use ipoc_tests::{backends, spawn_app};
use serde_json::Value;

/// Writes the hostile files into a new folder.
fn hostile_files() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../bench/hostile_files.py");
    let python = std::env::var("IPOC_TEST_PYTHON").unwrap_or_else(|_| "python3".into());
    let status = std::process::Command::new(python)
        .arg(script)
        .arg(dir.path())
        .args(["--scale", "ci"])
        .status()
        .expect("python3 runs bench/hostile_files.py");
    assert!(status.success(), "bench/hostile_files.py failed");
    dir
}

async fn upload(
    client: &reqwest::Client,
    url: &str,
    token: &str,
    path: &std::path::Path,
) -> (u16, usize, Value) {
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    upload_bytes(client, url, token, &name, std::fs::read(path).unwrap()).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_files_are_refused_and_the_process_lives_on() {
    let files = hostile_files();
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let center = app.center(1, "national", "320505").await;
        let mut server = app
            .server_process(env!("CARGO_BIN_EXE_ipoc-process"), &[])
            .await;
        let url = format!(
            "{}/api/v1/centers/{}/imports/transactions",
            server.address, center.id
        );
        let client = reqwest::Client::new();
        for (file, says) in [
            (
                "zero_cells.xlsx",
                "the part xl/worksheets/sheet1.xml inflates to more than the limit of 256 MiB",
            ),
            (
                "lying_sizes.xlsx",
                "the file is not a readable Excel workbook (.xlsx)",
            ),
            (
                "corner_cells.xlsx",
                "the sheet declares 1,048,576 rows; the limit is 200,001",
            ),
            (
                "shared_strings.xlsx",
                "the part xl/sharedStrings.xml holds a text longer than the limit of 4,000 characters a cell",
            ),
            (
                "many_strings.xlsx",
                "the workbook holds 3,500,000 shared strings, more than the limit of 2,000,000 cells",
            ),
            (
                "sparse_rows.xlsx",
                "the sheet holds at least 1,000,000 rows; the limit is 200,001",
            ),
            (
                "million_columns.csv",
                "the sheet holds at least 1,000,000 columns; the limit is 64",
            ),
            (
                "long_cell.csv",
                "cell C2 holds more than the limit of 4,000 characters",
            ),
        ] {
            let (status, size, body) =
                upload(&client, &url, &center.token, &files.path().join(file)).await;
            assert_eq!(status, 422, "{file}: {body}");
            assert_eq!(body["error"]["code"], "import_rejected", "{file}");
            assert_eq!(body["error"]["rows_total"], 1, "{file}: one refusal");
            let message = body["error"]["rows"][0]["message"]
                .as_str()
                .unwrap_or_default();
            assert!(message.contains(says), "{file}: {message}");
            assert!(size < 2_000, "{file}: a short answer ({size} bytes)");
        }

        // a million bad cells: all counted, a thousand shown, each quoting at most a few dozen characters
        let (status, size, body) = upload(
            &client,
            &url,
            &center.token,
            &files.path().join("million_errors.csv"),
        )
        .await;
        assert_eq!(status, 422);
        assert_eq!(body["error"]["rows_total"], 1_000_000);
        assert_eq!(body["error"]["rows"].as_array().unwrap().len(), 1_000);
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("1,000,000"),
            "{}",
            body["error"]["message"]
        );
        assert!(size < 400_000, "a bounded answer ({size} bytes)");

        // an upload over IPOC_IMPORT_MAX_MB (20 MiB), and JSON bodies too large or too deep
        let (status, _, body) = upload_bytes(
            &client,
            &url,
            &center.token,
            "big.csv",
            vec![b'x'; 21 << 20],
        )
        .await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (413, Some("too_large")),
            "{body}"
        );
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("20 MiB"),
            "{body}"
        );
        let deals = format!(
            "{}/api/v1/centers/{}/transactions",
            server.address, center.id
        );
        let big = client
            .post(&deals)
            .bearer_auth(&center.token)
            .header("content-type", "application/json")
            .body(vec![b' '; 50 << 20])
            .send()
            .await
            .unwrap();
        assert_eq!(big.status(), 413, "50 MB of JSON");
        let deep = "[".repeat(100_000);
        let nested = client
            .post(&deals)
            .bearer_auth(&center.token)
            .header("content-type", "application/json")
            .body(deep)
            .send()
            .await
            .unwrap();
        assert_eq!(nested.status(), 400, "deeply nested JSON");

        let health = client
            .get(format!("{}/health", server.address))
            .send()
            .await
            .unwrap();
        assert_eq!(health.status(), 200, "healthy after every hostile file");
        assert!(
            server.is_running(),
            "the ipoc process survived every hostile file"
        );
    }
}

async fn upload_bytes(
    client: &reqwest::Client,
    url: &str,
    token: &str,
    name: &str,
    bytes: Vec<u8>,
) -> (u16, usize, Value) {
    let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_string());
    let form = reqwest::multipart::Form::new().part("file", part);
    let response = client
        .post(url)
        .bearer_auth(token)
        .header("accept-language", "en")
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let body = response.bytes().await.unwrap();
    (
        status,
        body.len(),
        serde_json::from_slice(&body).unwrap_or(Value::Null),
    )
}
