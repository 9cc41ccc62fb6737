//! A small std-only static file server for the demo site and the browser
//! tests. One thread per connection, one request per connection (`Connection:
//! close`), GET and HEAD only, no path traversal, `index.html` for folders,
//! the right `Content-Type` for the files a site holds, `Cache-Control:
//! no-store`, and on every response a strict `Content-Security-Policy`, so the
//! demo proves the widget works on a locked-down host page. It can listen on
//! port 0 and tells the address it got. [`Config`] lets one server name another origin
//! in its policy (a partner serving `dist/` or the iframe page), and another send CORS
//! headers, so the browser tests can load the widget and its iframe across origins.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::Duration;

/// The Content-Security-Policy sent with every response.
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
                       style-src 'self'; img-src 'self' data:; connect-src 'self'; \
                       object-src 'none'; base-uri 'none'";

/// The policy of a server that also trusts `origins` for scripts, fetches (the wasm) and
/// frames: the strict [`CSP`] with those origins added where they are needed, and nothing
/// else loosened.
pub fn csp_trusting(origins: &[String]) -> String {
    if origins.is_empty() {
        return CSP.to_owned();
    }
    let extra = origins.join(" ");
    format!(
        "default-src 'self'; script-src 'self' {extra} 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self' {extra}; \
         frame-src 'self' {extra}; object-src 'none'; base-uri 'none'"
    )
}

/// How a server answers besides serving files.
#[derive(Debug, Clone)]
pub struct Config {
    /// What it prints about requests.
    pub logging: Logging,
    /// Whether every response carries `Access-Control-Allow-Origin: *` (as a host serving
    /// `dist/` to other origins does), so pages elsewhere may load its scripts and module.
    pub cors: bool,
    /// Origins (e.g. `http://127.0.0.1:9000`) its pages may load scripts, the module and
    /// frames from, added to the policy by [`csp_trusting`].
    pub trusted_origins: Vec<String>,
}

#[cfg(test)]
impl Config {
    /// Only the strict policy, no CORS.
    pub fn strict(logging: Logging) -> Config {
        Config {
            logging,
            cors: false,
            trusted_origins: Vec::new(),
        }
    }
}

/// What every connection's thread needs to answer.
struct Site {
    root: std::path::PathBuf,
    logging: Logging,
    csp: String,
    cors: bool,
}

/// The longest request head (request line and headers) the server reads.
const MAX_HEAD: usize = 16 * 1024;

/// What the server prints about the requests it answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Logging {
    /// One line per request.
    All,
    /// Only requests answered with a 4xx or 5xx status.
    Errors,
}

/// A running server. Dropping it (or calling [`Server::shutdown`]) stops it
/// accepting connections.
#[derive(Debug)]
pub struct Server {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    acceptor: Option<JoinHandle<()>>,
}

impl Server {
    /// Starts serving the folder `root` on `addr` (port 0 picks a free port)
    /// on a background thread, answering as `config` says.
    pub fn start(root: &Path, addr: impl ToSocketAddrs, config: Config) -> io::Result<Server> {
        let listener = TcpListener::bind(addr)?;
        let site = Arc::new(Site {
            root: root.canonicalize()?,
            logging: config.logging,
            csp: csp_trusting(&config.trusted_origins),
            cors: config.cors,
        });
        let addr = listener.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let acceptor = {
            let stop = Arc::clone(&stop);
            thread::Builder::new()
                .name("static-server".into())
                .spawn(move || accept_loop(&listener, &site, &stop))?
        };
        Ok(Server {
            addr,
            stop,
            acceptor: Some(acceptor),
        })
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The site's root URL, `http://<ip>:<port>/`.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr())
    }

    /// The site's origin, `http://<ip>:<port>`.
    pub fn origin(&self) -> String {
        format!("http://{}", self.addr())
    }

    /// Blocks the calling thread for as long as the server runs (until the
    /// process is interrupted).
    pub fn wait(mut self) {
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
    }

    /// Stops accepting connections and waits for the accepting thread to end.
    /// Requests already being answered finish on their own threads.
    pub fn shutdown(mut self) {
        self.stop_accepting();
    }

    fn stop_accepting(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(acceptor) = self.acceptor.take() {
            // Wake the blocking `accept` so it sees the flag.
            let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
            let _ = acceptor.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop_accepting();
    }
}

fn accept_loop(listener: &TcpListener, site: &Arc<Site>, stop: &AtomicBool) {
    for stream in listener.incoming() {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        let Ok(stream) = stream else { continue };
        let site = Arc::clone(site);
        let spawned = thread::Builder::new()
            .name("static-server-conn".into())
            .spawn(move || {
                if let Err(e) = handle_connection(stream, &site) {
                    if site.logging == Logging::All {
                        eprintln!("static server: connection error: {e}");
                    }
                }
            });
        if let Err(e) = spawned {
            eprintln!("static server: cannot start a thread: {e}");
        }
    }
}

/// An HTTP response before it is written.
struct Response {
    status: u16,
    reason: &'static str,
    content_type: &'static str,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

impl Response {
    fn text(status: u16, reason: &'static str, message: &str) -> Response {
        Response {
            status,
            reason,
            content_type: "text/plain; charset=utf-8",
            headers: Vec::new(),
            body: format!("{status} {reason}: {message}\n").into_bytes(),
        }
    }
}

fn handle_connection(mut stream: TcpStream, site: &Site) -> io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    stream.set_write_timeout(Some(Duration::from_secs(30)))?;
    let head = match read_head(&mut stream)? {
        Some(head) => head,
        None => return Ok(()), // closed before sending anything (e.g. the shutdown wake-up)
    };
    let mut words = head.lines().next().unwrap_or("").split_whitespace();
    let (method, target) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
    let mut response = respond(method, target, &site.root);
    if site.cors {
        response
            .headers
            .push(("Access-Control-Allow-Origin", "*".into()));
    }
    // Browsers ask for /favicon.ico on their own; its 404 is not worth a line.
    let noise = target == "/favicon.ico";
    if site.logging == Logging::All || (response.status >= 400 && !noise) {
        eprintln!("static server: {method} {target} -> {}", response.status);
    }
    write_response(&mut stream, &response, method == "HEAD", &site.csp)
}

/// Reads up to the blank line that ends the request head. `None` if the
/// client closed the connection without sending anything.
fn read_head(stream: &mut TcpStream) -> io::Result<Option<String>> {
    let mut head = Vec::new();
    let mut buf = [0u8; 2048];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buf)?;
        if n == 0 {
            if head.is_empty() {
                return Ok(None);
            }
            break;
        }
        head.extend_from_slice(&buf[..n]);
        if head.len() > MAX_HEAD {
            break;
        }
    }
    Ok(Some(String::from_utf8_lossy(&head).into_owned()))
}

/// Decides the response to `method target`, serving files under `root`.
fn respond(method: &str, target: &str, root: &Path) -> Response {
    if method != "GET" && method != "HEAD" {
        let mut response = Response::text(405, "Method Not Allowed", "only GET and HEAD");
        response.headers.push(("Allow", "GET, HEAD".into()));
        return response;
    }
    let (path, query) = match target.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (target, None),
    };
    let path = path.split('#').next().unwrap_or("");
    if !path.starts_with('/') {
        return Response::text(400, "Bad Request", "the request target must start with /");
    }
    let Some(decoded) = percent_decode(path) else {
        return Response::text(400, "Bad Request", "bad percent-encoding");
    };
    if decoded.contains('\0') || decoded.contains('\\') {
        return Response::text(400, "Bad Request", "bad character in path");
    }
    let mut file = root.to_path_buf();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => return Response::text(403, "Forbidden", "path traversal"),
            name => file.push(name),
        }
    }
    // Belt and braces: a symlink must not lead out of the root either.
    match file.canonicalize() {
        Ok(real) if !real.starts_with(root) => {
            return Response::text(403, "Forbidden", "outside the site");
        }
        Ok(_) => {}
        Err(_) => return Response::text(404, "Not Found", &decoded),
    }
    if file.is_dir() {
        if !path.ends_with('/') {
            // Relative URLs in the index page must resolve inside the folder.
            let mut location = format!("{path}/");
            if let Some(query) = query {
                location.push('?');
                location.push_str(query);
            }
            let mut response = Response::text(301, "Moved Permanently", &location);
            response.headers.push(("Location", location));
            return response;
        }
        file.push("index.html");
    }
    match std::fs::read(&file) {
        Ok(body) => Response {
            status: 200,
            reason: "OK",
            content_type: content_type(&file),
            headers: Vec::new(),
            body,
        },
        Err(_) => Response::text(404, "Not Found", &decoded),
    }
}

/// Decodes `%XX` escapes; `None` for a malformed escape or non-UTF-8 result.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The `Content-Type` for a file, from its extension.
fn content_type(file: &Path) -> &'static str {
    let extension = file
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "json" => "application/json",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn write_response(
    stream: &mut TcpStream,
    response: &Response,
    head_only: bool,
    csp: &str,
) -> io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nContent-Security-Policy: {csp}\r\n\
         X-Content-Type-Options: nosniff\r\nConnection: close\r\n",
        response.status,
        response.reason,
        response.content_type,
        response.body.len()
    );
    for (name, value) in &response.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    if !head_only {
        stream.write_all(&response.body)?;
    }
    stream.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;
    use std::sync::atomic::AtomicUsize;

    /// A parsed response as a test sees it.
    struct Fetched {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    }

    impl Fetched {
        fn header(&self, name: &str) -> Option<&str> {
            self.headers
                .iter()
                .find(|(key, _)| key.eq_ignore_ascii_case(name))
                .map(|(_, value)| value.as_str())
        }
    }

    /// A fresh folder holding a small site, and a secret file beside it.
    fn temp_site() -> PathBuf {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let base = std::env::temp_dir().join(format!(
            "xtask-static-server-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        ));
        let root = base.join("site");
        std::fs::create_dir_all(root.join("sub")).expect("create temp site");
        let files: [(&str, &[u8]); 5] = [
            ("site/index.html", b"<!doctype html><title>home</title>"),
            ("site/app.wasm", b"\0asm\x01\0\0\0"),
            ("site/app.js", b"export {};"),
            ("site/sub/index.html", b"<p>sub</p>"),
            ("secret.txt", b"do not serve"),
        ];
        for (name, contents) in files {
            std::fs::write(base.join(name), contents).expect("write temp file");
        }
        root
    }

    /// Sends a raw request and reads the whole response (the server closes).
    fn fetch(addr: SocketAddr, method: &str, target: &str) -> Fetched {
        let mut stream = TcpStream::connect(addr).expect("connect");
        write!(
            stream,
            "{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
        )
        .expect("send request");
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).expect("read response");
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("response has a head");
        let head = String::from_utf8_lossy(&raw[..split]).into_owned();
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|line| line.split_whitespace().nth(1))
            .and_then(|code| code.parse().ok())
            .expect("status line");
        let headers = lines
            .filter_map(|line| line.split_once(':'))
            .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
            .collect();
        Fetched {
            status,
            headers,
            body: raw[split + 4..].to_vec(),
        }
    }

    /// A server on a fresh temporary site; the site is removed on drop.
    struct TestServer {
        server: Option<Server>,
        base: PathBuf,
    }

    impl TestServer {
        fn addr(&self) -> SocketAddr {
            self.server.as_ref().expect("server").addr()
        }
    }

    impl Drop for TestServer {
        fn drop(&mut self) {
            drop(self.server.take());
            let _ = std::fs::remove_dir_all(&self.base);
        }
    }

    fn start() -> TestServer {
        let root = temp_site();
        let server = Server::start(&root, "127.0.0.1:0", Config::strict(Logging::Errors))
            .expect("start server");
        TestServer {
            server: Some(server),
            base: root.parent().expect("temp base").to_path_buf(),
        }
    }

    #[test]
    fn listens_on_an_ephemeral_port() {
        let test = start();
        let server = test.server.as_ref().expect("server");
        assert_ne!(server.addr().port(), 0);
        assert_eq!(server.url(), format!("http://{}/", server.addr()));
    }

    #[test]
    fn serves_wasm_as_application_wasm() {
        let server = start();
        let response = fetch(server.addr(), "GET", "/app.wasm");
        assert_eq!(response.status, 200);
        assert_eq!(response.header("Content-Type"), Some("application/wasm"));
        assert_eq!(response.body, b"\0asm\x01\0\0\0");
        assert_eq!(response.header("Content-Length"), Some("8"));
    }

    #[test]
    fn serves_javascript_and_index_pages() {
        let server = start();
        let js = fetch(server.addr(), "GET", "/app.js?v=1");
        assert_eq!(
            js.header("Content-Type"),
            Some("text/javascript; charset=utf-8")
        );
        let home = fetch(server.addr(), "GET", "/");
        assert_eq!(home.status, 200);
        assert_eq!(
            home.header("Content-Type"),
            Some("text/html; charset=utf-8")
        );
        assert!(String::from_utf8_lossy(&home.body).contains("home"));
        let sub = fetch(server.addr(), "GET", "/sub/");
        assert_eq!(sub.body, b"<p>sub</p>");
        let redirect = fetch(server.addr(), "GET", "/sub");
        assert_eq!(redirect.status, 301);
        assert_eq!(redirect.header("Location"), Some("/sub/"));
    }

    #[test]
    fn missing_files_are_404() {
        let server = start();
        let response = fetch(server.addr(), "GET", "/nope.js");
        assert_eq!(response.status, 404);
    }

    #[test]
    fn path_traversal_is_rejected() {
        let server = start();
        for target in [
            "/../secret.txt",
            "/sub/../../secret.txt",
            "/%2e%2e/secret.txt",
            "/%2E%2E%2Fsecret.txt",
        ] {
            let response = fetch(server.addr(), "GET", target);
            assert_eq!(response.status, 403, "{target}");
            assert!(
                !String::from_utf8_lossy(&response.body).contains("do not serve"),
                "{target}"
            );
        }
        let backslash = fetch(server.addr(), "GET", "/..%5csecret.txt");
        assert_eq!(backslash.status, 400);
    }

    #[test]
    fn every_response_carries_the_csp_and_no_store() {
        let server = start();
        for (method, target) in [
            ("GET", "/"),
            ("GET", "/app.wasm"),
            ("GET", "/nope"),
            ("GET", "/../secret.txt"),
            ("POST", "/"),
        ] {
            let response = fetch(server.addr(), method, target);
            assert_eq!(
                response.header("Content-Security-Policy"),
                Some(CSP),
                "{method} {target}"
            );
            assert_eq!(response.header("Cache-Control"), Some("no-store"));
        }
        assert_eq!(
            CSP,
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'"
        );
    }

    #[test]
    fn head_has_no_body_and_other_methods_are_refused() {
        let server = start();
        let head = fetch(server.addr(), "HEAD", "/app.js");
        assert_eq!(head.status, 200);
        assert_eq!(head.header("Content-Length"), Some("10"));
        assert!(head.body.is_empty());
        let post = fetch(server.addr(), "POST", "/app.js");
        assert_eq!(post.status, 405);
        assert_eq!(post.header("Allow"), Some("GET, HEAD"));
    }

    #[test]
    fn a_partner_server_sends_cors_and_a_host_trusts_only_the_named_origin() {
        let root = temp_site();
        let base = root.parent().expect("temp base").to_path_buf();
        let partner = Server::start(
            &root,
            "127.0.0.1:0",
            Config {
                logging: Logging::Errors,
                cors: true,
                trusted_origins: Vec::new(),
            },
        )
        .expect("partner");
        let host = Server::start(
            &root,
            "127.0.0.1:0",
            Config {
                logging: Logging::Errors,
                cors: false,
                trusted_origins: vec![partner.origin()],
            },
        )
        .expect("host");
        let from_partner = fetch(partner.addr(), "GET", "/app.wasm");
        assert_eq!(
            from_partner.header("Access-Control-Allow-Origin"),
            Some("*")
        );
        assert_eq!(from_partner.header("Content-Security-Policy"), Some(CSP));
        let from_host = fetch(host.addr(), "GET", "/");
        assert_eq!(from_host.header("Access-Control-Allow-Origin"), None);
        let policy = from_host
            .header("Content-Security-Policy")
            .expect("policy")
            .to_owned();
        let partner_origin = partner.origin();
        for directive in ["script-src", "connect-src", "frame-src"] {
            let line = policy
                .split(';')
                .map(str::trim)
                .find(|d| d.starts_with(directive))
                .unwrap_or_else(|| panic!("{directive} in {policy}"));
            assert!(line.contains(&partner_origin), "{line}");
        }
        for directive in ["style-src 'self';", "object-src 'none'", "base-uri 'none'"] {
            assert!(policy.contains(directive), "{policy}");
        }
        drop((partner, host));
        let _ = std::fs::remove_dir_all(base);
    }

    #[test]
    fn shutdown_stops_accepting() {
        let mut test = start();
        let addr = test.addr();
        test.server.take().expect("server").shutdown();
        let mut stream = TcpStream::connect(addr);
        if let Ok(stream) = stream.as_mut() {
            // The listener may be gone already (refused), or the OS may still
            // complete the handshake; either way nobody answers.
            stream
                .set_read_timeout(Some(Duration::from_millis(500)))
                .expect("timeout");
            let _ = write!(stream, "GET / HTTP/1.1\r\n\r\n");
            let mut buf = Vec::new();
            let _ = stream.read_to_end(&mut buf);
            assert!(buf.is_empty());
        }
    }
}
