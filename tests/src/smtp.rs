//! A real SMTP server for the mail tests.

/// An aiosmtpd handler that stores every message like `aiosmtpd.handlers.Mailbox` but answers the
/// first `lost` of them with a temporary failure: the sender was not told of a delivery that
/// happened, as when it stops between the server's acceptance and its own record of it.
const LOSING_HANDLER: &str = r#"
from aiosmtpd.handlers import Mailbox

class LosingAnswers(Mailbox):
    def __init__(self, mail_dir, lost):
        super().__init__(mail_dir)
        self.lost = int(lost)

    @classmethod
    def from_cli(cls, parser, *args):
        return cls(args[0], args[1])

    async def handle_DATA(self, server, session, envelope):
        answer = await super().handle_DATA(server, session, envelope)
        if self.lost > 0:
            self.lost -= 1
            return "451 4.3.0 stored, but the answer is lost"
        return answer
"#;

/// A real SMTP server for tests: aiosmtpd (`python3 -m aiosmtpd`, or `$IPOC_TEST_PYTHON`) on a
/// free port, storing every message it accepts in a maildir.
pub struct SmtpServer {
    pub port: u16,
    pub maildir: tempfile::TempDir,
    child: Option<std::process::Child>,
    lost_answers: u32,
}

impl SmtpServer {
    /// Starts the server and waits until it accepts connections.
    pub async fn start() -> SmtpServer {
        Self::start_losing_answers(0).await
    }

    /// Starts a server that stores every message but answers the first `lost` with `451`, so
    /// the sender sends them again.
    pub async fn start_losing_answers(lost: u32) -> SmtpServer {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .expect("free port")
            .local_addr()
            .expect("port")
            .port();
        let mut server = SmtpServer {
            port,
            maildir: tempfile::tempdir().expect("maildir"),
            child: None,
            lost_answers: lost,
        };
        server.restart().await;
        server
    }

    /// `smtp://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Stops the server (connections are refused until `restart`).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the server again on the same port and maildir.
    pub async fn restart(&mut self) {
        self.stop();
        let python = std::env::var("IPOC_TEST_PYTHON").unwrap_or_else(|_| "python3".into());
        let mut command = std::process::Command::new(python);
        command
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{}", self.port));
        if self.lost_answers > 0 {
            let module = self.maildir.path().join("handler");
            std::fs::create_dir_all(&module).expect("handler folder");
            std::fs::write(module.join("ipoc_losing_smtp.py"), LOSING_HANDLER).expect("handler");
            command
                .env("PYTHONPATH", &module)
                .args(["-c", "ipoc_losing_smtp.LosingAnswers"]);
        } else {
            command.args(["-c", "aiosmtpd.handlers.Mailbox"]);
        }
        // a maildir that does not exist yet: Python's Maildir creates it with its subfolders
        command.arg(self.maildir.path().join("box"));
        if self.lost_answers > 0 {
            command.arg(self.lost_answers.to_string());
        }
        let child = command
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start aiosmtpd (pip install aiosmtpd, or apt-get install python3-aiosmtpd)");
        self.child = Some(child);
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("aiosmtpd did not start on port {}", self.port);
    }

    /// Every message received so far, raw.
    pub fn messages(&self) -> Vec<String> {
        let mut all = Vec::new();
        for sub in ["new", "cur"] {
            if let Ok(entries) = std::fs::read_dir(self.maildir.path().join("box").join(sub)) {
                for entry in entries.flatten() {
                    if let Ok(text) = std::fs::read_to_string(entry.path()) {
                        all.push(text);
                    }
                }
            }
        }
        all
    }

    /// The text of every base64 part of `message` (bodies as lettre encodes them), decoded.
    pub fn decoded_parts(message: &str) -> String {
        use base64::Engine;
        let mut text = String::new();
        for part in message.split("Content-Transfer-Encoding: base64").skip(1) {
            let body: String = part
                .trim_start()
                .lines()
                .take_while(|l| !l.is_empty() && !l.starts_with("--"))
                .collect();
            if let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(body.trim()) {
                text.push_str(&String::from_utf8_lossy(&bytes));
                text.push('\n');
            }
        }
        text
    }

    /// The value of `header` in a raw `message`.
    pub fn header(message: &str, header: &str) -> Option<String> {
        let prefix = format!("{}:", header.to_ascii_lowercase());
        message
            .lines()
            .take_while(|l| !l.is_empty())
            .find(|l| l.to_ascii_lowercase().starts_with(&prefix))
            .map(|l| l[prefix.len()..].trim().to_string())
    }

    /// The messages addressed to `recipient`.
    pub fn messages_to(&self, recipient: &str) -> Vec<String> {
        self.messages()
            .into_iter()
            .filter(|m| {
                m.lines()
                    .any(|l| l.starts_with("To:") && l.contains(recipient))
            })
            .collect()
    }

    /// Waits up to `seconds` until `count` messages have arrived for `recipient`.
    pub async fn wait_for(&self, recipient: &str, count: usize, seconds: u64) -> Vec<String> {
        for _ in 0..seconds * 10 {
            let found = self.messages_to(recipient);
            if found.len() >= count {
                return found;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        self.messages_to(recipient)
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.stop();
    }
}
