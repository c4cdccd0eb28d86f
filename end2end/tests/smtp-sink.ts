import * as net from "node:net";

/**
 * A local SMTP server for the tests: it keeps every message it is sent, or, with
 * `refuse` set, refuses every recipient (550) as a real server does a bad address.
 */
export class SmtpSink {
  readonly messages: string[] = [];
  refuse = false;
  private server = net.createServer((socket) => this.session(socket));

  /** Listens on a free port of 127.0.0.1; the port. */
  async start(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return (this.server.address() as net.AddressInfo).port;
  }

  async stop() {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The last message's activation link, quoted-printable soft breaks undone. */
  lastLink(): string {
    const message = (this.messages.at(-1) ?? "").replace(/=\r?\n/g, "").replace(/=3D/g, "=");
    const link = message.match(/https?:\/\/\S+\/activate\?token=\S+/);
    if (!link) {
      throw new Error(`no activation link in: ${message}`);
    }
    return link[0];
  }

  private session(socket: net.Socket) {
    let buffer = "";
    let data: string[] | null = null;
    socket.write("220 sink ESMTP\r\n");
    socket.on("data", (chunk) => {
      buffer += chunk.toString("utf8");
      let end = buffer.indexOf("\r\n");
      while (end >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (data) {
          if (line === ".") {
            this.messages.push(data.join("\r\n"));
            data = null;
            socket.write("250 2.0.0 kept\r\n");
          } else {
            data.push(line.startsWith(".") ? line.slice(1) : line);
          }
        } else {
          const verb = line.slice(0, 4).toUpperCase();
          if (verb === "EHLO" || verb === "HELO") socket.write("250-sink\r\n250 8BITMIME\r\n");
          else if (verb === "RCPT" && this.refuse) socket.write("550 5.1.1 no such mailbox\r\n");
          else if (verb === "DATA") {
            data = [];
            socket.write("354 go ahead\r\n");
          } else if (verb === "QUIT") {
            socket.end("221 bye\r\n");
          } else socket.write("250 ok\r\n");
        }
        end = buffer.indexOf("\r\n");
      }
    });
    socket.on("error", () => {});
  }
}
