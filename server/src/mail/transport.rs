//! Where mail goes: an SMTP server whenever `IPOC_SMTP_URL` is set, otherwise `.eml` files under
//! `IPOC_DATA_DIR/mail/` (the embedded default); an in-memory list only in unit tests.

use std::path::PathBuf;

use lettre::{
    AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{Mailbox, MultiPart},
};

use super::outbox::Claimed;

/// A way to send mail.
pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    File(AsyncFileTransport<Tokio1Executor>),
    #[cfg(test)]
    Memory(std::sync::Mutex<Vec<Message>>),
}

impl Transport {
    /// SMTP at `smtp_url` (`smtp://host:port` plain or opportunistic, `?tls=required` STARTTLS,
    /// `smtps://` TLS, with `user:password@` when the server wants it), else files in
    /// `data_dir/mail`.
    pub fn new(smtp_url: Option<&str>, data_dir: &std::path::Path) -> anyhow::Result<Transport> {
        match smtp_url {
            Some(url) => Ok(Transport::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| anyhow::anyhow!("IPOC_SMTP_URL: {e}"))?
                    .timeout(Some(std::time::Duration::from_secs(20)))
                    .build(),
            )),
            None => {
                let dir: PathBuf = data_dir.join("mail");
                std::fs::create_dir_all(&dir)
                    .map_err(|e| anyhow::anyhow!("{}: {e}", dir.display()))?;
                Ok(Transport::File(AsyncFileTransport::<Tokio1Executor>::new(
                    dir,
                )))
            }
        }
    }

    /// Sends `mail` from `from`.
    pub async fn send(&self, from: &Mailbox, mail: &Claimed) -> anyhow::Result<()> {
        let message = Message::builder()
            .message_id(mail.message_id.clone())
            .from(from.clone())
            .to(mail.recipient.parse()?)
            .subject(mail.subject.clone())
            .multipart(MultiPart::alternative_plain_html(
                mail.text.clone(),
                mail.html.clone(),
            ))?;
        match self {
            Transport::Smtp(smtp) => {
                smtp.send(message).await?;
            }
            Transport::File(file) => {
                file.send(message).await?;
            }
            #[cfg(test)]
            Transport::Memory(sent) => {
                if let Ok(mut sent) = sent.lock() {
                    sent.push(message);
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_message_has_both_languages_as_text_and_html() {
        let transport = Transport::Memory(std::sync::Mutex::new(Vec::new()));
        let mail = Claimed {
            id: 1,
            recipient: "office@js.gov.cn".into(),
            subject: "认定申请待处理 / Application waiting".into(),
            text: "中心提交了认定申请。\n\n——\nThe center submitted its application.".into(),
            html: "<p>中心提交了认定申请。</p><hr><p>The center submitted its application.</p>"
                .into(),
            attempts: 1,
            message_id: Some("<test-1@ipoc.local>".into()),
        };
        let from: Mailbox = "ipoc <noreply@ipoc.local>".parse().unwrap();
        transport.send(&from, &mail).await.unwrap();
        let Transport::Memory(sent) = &transport else {
            unreachable!()
        };
        let raw = {
            let sent = sent.lock().unwrap();
            assert_eq!(sent.len(), 1);
            String::from_utf8(sent[0].formatted()).unwrap()
        };
        assert!(raw.contains("To: office@js.gov.cn"));
        assert!(raw.contains("Message-ID: <test-1@ipoc.local>"), "{raw}");
        assert!(
            raw.contains("multipart/alternative")
                && raw.contains("text/plain")
                && raw.contains("text/html")
        );
        assert!(transport_refuses_a_bad_recipient().await);
    }

    #[tokio::test]
    async fn smtp_urls_choose_plain_starttls_or_tls_and_bad_ones_are_refused() {
        let dir = std::env::temp_dir();
        for url in [
            "smtp://127.0.0.1:2525",
            "smtp://user:secret@mail.example.cn:587?tls=required",
            "smtps://mail.example.cn:465",
        ] {
            assert!(
                matches!(Transport::new(Some(url), &dir), Ok(Transport::Smtp(_))),
                "{url}"
            );
        }
        assert!(Transport::new(Some("http://mail.example.cn"), &dir).is_err());
        let data = tempdir_in(&dir);
        assert!(matches!(
            Transport::new(None, &data),
            Ok(Transport::File(_))
        ));
        assert!(
            data.join("mail").is_dir(),
            "the file transport's folder is made"
        );
        let _ = std::fs::remove_dir_all(&data);
    }

    fn tempdir_in(dir: &std::path::Path) -> std::path::PathBuf {
        let path = dir.join(format!("ipoc-mail-test-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&path).unwrap();
        path
    }

    async fn transport_refuses_a_bad_recipient() -> bool {
        let transport = Transport::Memory(std::sync::Mutex::new(Vec::new()));
        let mail = Claimed {
            id: 2,
            recipient: "not an address".into(),
            subject: "s".into(),
            text: "t".into(),
            html: "h".into(),
            attempts: 1,
            message_id: Some("<test-1@ipoc.local>".into()),
        };
        let from: Mailbox = "ipoc <noreply@ipoc.local>".parse().unwrap();
        transport.send(&from, &mail).await.is_err()
    }
}
