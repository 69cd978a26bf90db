//! ipoc started as a separate server process: for tests that need more than one process, a
//! restart, or a process that must survive what it is sent.

use std::process::{Child, Command, Stdio};

/// A server running as a separate process; killed when dropped.
pub struct ServerProcess {
    child: Child,
    pub address: String,
}

impl ServerProcess {
    /// The settings of a test server process over `database_url` with `data_dir`: a free port,
    /// the tests' day, one worker, a small pool, warnings logged.
    pub fn settings(database_url: &str, data_dir: &std::path::Path) -> Vec<(String, String)> {
        let data_dir = data_dir.display().to_string();
        [
            ("IPOC_BIND", "127.0.0.1:0"),
            ("IPOC_DATABASE_URL", database_url),
            ("IPOC_DATA_DIR", data_dir.as_str()),
            ("IPOC_NOW", crate::TODAY),
            ("IPOC_WORKERS", "1"),
            ("IPOC_DB_MAX_CONNECTIONS", "3"),
            ("IPOC_LOG", "warn"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    }

    /// Starts `program` with `args` and only the `vars` of `IPOC_*` (none inherited from the test's
    /// environment), and returns once it prints where it listens (its start-up run has finished).
    pub async fn start(program: &str, args: &[&str], vars: Vec<(String, String)>) -> ServerProcess {
        let mut command = Command::new(program);
        command.args(args);
        for (key, _) in std::env::vars().filter(|(k, _)| k.starts_with("IPOC_")) {
            command.env_remove(key);
        }
        command.envs(vars);
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start the ipoc process");
        let stdout = child.stdout.take().expect("stdout");
        let (found, address) = std::sync::mpsc::channel();
        // reads the line that says where it listens, then passes the rest on
        std::thread::spawn(move || {
            use std::io::BufRead;
            for line in std::io::BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
            {
                if let Some(at) = line.strip_prefix("ipoc listening on ") {
                    let _ = found.send(at.to_string());
                } else {
                    // the process's log, shown with a failing test's output
                    eprintln!("[ipoc process] {line}");
                }
            }
        });
        let address = tokio::task::spawn_blocking(move || {
            address.recv_timeout(std::time::Duration::from_secs(120))
        })
        .await
        .expect("join");
        match address {
            Ok(address) => ServerProcess { child, address },
            Err(_) => {
                std::thread::sleep(std::time::Duration::from_millis(300));
                let status = child.try_wait().ok().flatten();
                let _ = child.kill();
                panic!("the ipoc process did not start listening (exit: {status:?})");
            }
        }
    }

    /// The process id (to read its memory from `/proc`).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Whether the process is still running.
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Kills the process at once (`SIGKILL`: nothing is flushed or closed cleanly) and waits.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.kill();
    }
}
