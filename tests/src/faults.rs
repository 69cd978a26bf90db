//! Faults a test can cause without touching anything shared: a small tmpfs it fills up (a full
//! disk under a SQLite database), and a TCP proxy between ipoc and PostgreSQL that it cuts and
//! restores (a database that goes away), never the shared PostgreSQL server itself.

use std::{
    io::Write,
    net::SocketAddr,
    path::{Path, PathBuf},
    sync::Arc,
};

use tokio::{
    net::{TcpListener, TcpStream},
    sync::watch,
    task::JoinHandle,
};

/// A tmpfs of a few megabytes mounted on a fresh folder, unmounted when dropped. Mounting needs
/// root (CI runs as root); root ignores file permissions, so a full disk is the fault to inject.
pub struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    /// Mounts a tmpfs of `megabytes`.
    pub fn mount(megabytes: u32) -> Tmpfs {
        let dir = tempfile::tempdir().expect("mount point");
        let status = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={megabytes}m"), "tmpfs"])
            .arg(dir.path())
            .status()
            .expect("run mount");
        assert!(
            status.success(),
            "mounting a tmpfs failed ({status}): the storage-fault tests run as root, as CI does"
        );
        Tmpfs { dir }
    }

    /// The mounted folder.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// A folder inside the tmpfs that a [`crate::FreshDatabase`] can live in.
    pub fn tempdir(&self) -> tempfile::TempDir {
        tempfile::tempdir_in(self.path()).expect("folder in the tmpfs")
    }

    /// Fills every free byte with a file of zeros and returns its path (free it with
    /// [`Tmpfs::free`]).
    pub fn fill(&self) -> PathBuf {
        let path = self.path().join("filler");
        let mut file = std::fs::File::create(&path).expect("filler");
        let block = vec![0u8; 64 * 1024];
        while file.write_all(&block).is_ok() {}
        // the last partial block
        let small = [0u8; 512];
        while file.write_all(&small).is_ok() {}
        let _ = file.flush();
        path
    }

    /// Frees what [`Tmpfs::fill`] took.
    pub fn free(&self, filler: &Path) {
        std::fs::remove_file(filler).expect("remove the filler");
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}

/// What a [`TcpProxy`] does with the bytes between ipoc and its upstream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Link {
    /// Forwards them.
    Open,
    /// Resets every connection, open or new: the server is gone, or the network refuses.
    Cut,
    /// Forwards nothing and answers nothing, on open connections and new ones alike: packets
    /// dropped somewhere on the way. Connections held so are reset when the stall ends.
    Stalled,
}

/// A TCP proxy owned by one test, in front of an upstream server (PostgreSQL): `cut` and `stall`
/// take the database away from ipoc, `restore` gives it back.
pub struct TcpProxy {
    pub addr: SocketAddr,
    link: Arc<watch::Sender<Link>>,
    task: JoinHandle<()>,
}

impl TcpProxy {
    /// Starts a proxy on a free port of 127.0.0.1 forwarding to `upstream` (`host:port`).
    pub async fn start(upstream: &str) -> TcpProxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("proxy port");
        let addr = listener.local_addr().expect("proxy address");
        let link = Arc::new(watch::channel(Link::Open).0);
        let upstream = upstream.to_string();
        let state = link.clone();
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let mut changes = state.subscribe();
                let upstream = upstream.clone();
                tokio::spawn(async move {
                    let now = *changes.borrow_and_update();
                    match now {
                        Link::Cut => return reset(client),
                        // held unanswered until the stall ends
                        Link::Stalled => {
                            let _ = changes.changed().await;
                            return reset(client);
                        }
                        Link::Open => {}
                    }
                    let Ok(mut server) = TcpStream::connect(&upstream).await else {
                        return reset(client);
                    };
                    let mut client = client;
                    // ends with the connection, or with the link no longer open
                    let stalled = tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut client, &mut server) => return,
                        link = changes.wait_for(|link| *link != Link::Open) => {
                            link.map(|link| *link == Link::Stalled).unwrap_or(false)
                        }
                    };
                    // stalled: hold both ends, silent, until the stall ends
                    if stalled {
                        let _ = changes.wait_for(|link| *link != Link::Stalled).await;
                    }
                    reset(client);
                    reset(server);
                });
            }
        });
        TcpProxy { addr, link, task }
    }

    /// `url` (`postgres://user@host:port/db`) with its host and port replaced by the proxy's.
    pub fn url_through(&self, url: &str) -> String {
        let (scheme, rest) = url.split_once("://").expect("a URL");
        let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
        let user = authority
            .rsplit_once('@')
            .map(|(user, _)| format!("{user}@"))
            .unwrap_or_default();
        format!("{scheme}://{user}{}/{path}", self.addr)
    }

    /// Resets every open connection and refuses new ones.
    pub fn cut(&self) {
        self.link.send_replace(Link::Cut);
    }

    /// Stops forwarding and answering, on open connections and new ones.
    pub fn stall(&self) {
        self.link.send_replace(Link::Stalled);
    }

    /// Lets connections through again.
    pub fn restore(&self) {
        self.link.send_replace(Link::Open);
    }
}

impl Drop for TcpProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Closes `stream` with a TCP reset, as a dead peer or a cut network looks to the other side.
fn reset(stream: TcpStream) {
    let _ = stream.set_zero_linger();
    drop(stream);
}
