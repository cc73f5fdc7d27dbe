// WebSocket echo on uWebSockets.js, written the fastest idiomatic way: the uWS baseline.
import uWS from "uWebSockets.js";
import { host, port, ready } from "./_app.mjs";

uWS
  .App()
  .ws("/*", {
    compression: uWS.DISABLED,
    message: (socket, message, isBinary) => socket.send(message, isBinary),
  })
  .any("/*", (response) => response.end("WebSocket echo: connect with ws://"))
  .listen(host, port, (listening) => {
    if (!listening) throw new Error(`uWebSockets.js could not listen on ${host}:${port}`);
    ready();
  });
