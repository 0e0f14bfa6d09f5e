//! A small HTTP/1.1 server on 127.0.0.1 for the live-manifest tests: it records every request
//! and answers what the test's handler says, including replies no real library would send
//! (cut-off bodies, HTML, slow answers).
#![allow(dead_code, reason = "each test binary uses a different part")]

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One request as received.
#[derive(Debug, Clone)]
pub(crate) struct Request {
    pub(crate) method: String,
    /// The path and query, as sent.
    pub(crate) target: String,
    /// Header names lowercased, in order.
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

impl Request {
    pub(crate) fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or_default()
    }

    pub(crate) fn query(&self) -> &str {
        self.target.split_once('?').map_or("", |(_, query)| query)
    }

    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap()
    }
}

/// What the server sends back.
#[derive(Debug, Clone)]
pub(crate) struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    /// A `Content-Length` larger than the body makes a cut-off reply.
    declared_length: Option<usize>,
    delay: Duration,
    /// Spaces follow the body until the client hangs up (or `declared_length` is reached).
    endless: bool,
}

impl Reply {
    pub(crate) fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status,
            headers: vec![("Content-Type".to_owned(), content_type.to_owned())],
            body: body.into(),
            declared_length: None,
            delay: Duration::ZERO,
            endless: false,
        }
    }

    pub(crate) fn json(status: u16, body: &serde_json::Value) -> Reply {
        Reply::new(status, "application/json", body.to_string())
    }

    /// The service's error body.
    pub(crate) fn error(status: u16, code: &str, message: &str) -> Reply {
        Reply::json(
            status,
            &serde_json::json!({"error": {"code": code, "message": message, "requestId": "req_test_1"}}),
        )
    }

    pub(crate) fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Announces `extra` more bytes than it sends, then closes the connection.
    pub(crate) fn cut_off(mut self, extra: usize) -> Reply {
        self.declared_length = Some(self.body.len() + extra);
        self
    }

    /// Sends spaces after the body without end, with no `Content-Length` (or, after
    /// [`Reply::cut_off`], until the announced length): a reply larger than any client should
    /// keep.
    pub(crate) fn endless(mut self) -> Reply {
        self.endless = true;
        self
    }

    pub(crate) fn delayed(mut self, delay: Duration) -> Reply {
        self.delay = delay;
        self
    }
}

type Handler = dyn Fn(&Request) -> Reply + Send + Sync;

/// A running server; it lives until the test process ends.
pub(crate) struct Server {
    port: u16,
    requests: Arc<Mutex<Vec<Request>>>,
}

impl Server {
    pub(crate) fn start(handler: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let log = Arc::clone(&requests);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (handler, log) = (Arc::clone(&handler), Arc::clone(&log));
                std::thread::spawn(move || serve(stream, handler.as_ref(), &log));
            }
        });
        Server { port, requests }
    }

    /// Answers every request with the replies in order, repeating the last one.
    pub(crate) fn replying(replies: Vec<Reply>) -> Server {
        let next = Mutex::new(0_usize);
        Server::start(move |_| {
            let mut next = next.lock().unwrap();
            let reply = replies[(*next).min(replies.len() - 1)].clone();
            *next += 1;
            reply
        })
    }

    pub(crate) fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub(crate) fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }
}

fn serve(stream: TcpStream, handler: &Handler, log: &Mutex<Vec<Request>>) {
    let Some(request) = read_request(&stream) else {
        return;
    };
    log.lock().unwrap().push(request.clone());
    let reply = handler(&request);
    std::thread::sleep(reply.delay);
    let mut head = format!("HTTP/1.1 {} Test\r\n", reply.status);
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    let length = reply.declared_length.unwrap_or(reply.body.len());
    if !reply.endless || reply.declared_length.is_some() {
        head.push_str(&format!("Content-Length: {length}\r\n"));
    }
    head.push_str("Connection: close\r\n\r\n");
    let mut stream = stream;
    // The client may have given up (timeouts): nothing to do about a failed write.
    let _ = stream
        .write_all(head.as_bytes())
        .and_then(|()| stream.write_all(&reply.body))
        .and_then(|()| stream.flush());
    if reply.endless {
        let spaces = [b' '; 64 * 1024];
        let mut left = reply
            .declared_length
            .map_or(usize::MAX, |length| length - reply.body.len());
        // Until the client hangs up, which a write then reports.
        while left > 0 {
            let chunk = &spaces[..spaces.len().min(left)];
            if stream.write_all(chunk).is_err() {
                break;
            }
            left -= chunk.len();
        }
    }
}

fn read_request(stream: &TcpStream) -> Option<Request> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_owned();
    let target = parts.next()?.to_owned();
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).ok()?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':')?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
    }
    let length = headers
        .iter()
        .find(|(name, _)| name == "content-length")
        .and_then(|(_, value)| value.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some(Request {
        method,
        target,
        headers,
        body,
    })
}
