// WebSocket echo on node:http with ws, written the fastest idiomatic way: the node baseline.
import { createServer } from "node:http";
import { WebSocketServer } from "ws";
import { host, port, ready } from "./_app.mjs";

const server = createServer((_request, response) => response.end("WebSocket echo: connect with ws://"));
const wss = new WebSocketServer({ server, perMessageDeflate: false, clientTracking: false });
wss.on("connection", (socket) => {
  socket.on("message", (data, isBinary) => socket.send(data, { binary: isBinary }));
});
server.listen(port, host, ready);
