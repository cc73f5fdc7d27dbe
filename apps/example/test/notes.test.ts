import { afterEach, expect, it } from "vitest";
import { describeExample, FIXED_NOW } from "./_example.ts";

const JSON_HEADERS = { "content-type": "application/json" };
const createdAt = FIXED_NOW.toISOString();

describeExample(
  "notes API",
  (example) => {
    afterEach(() => expect(example.errors).toEqual([]));

    const post = (body: string, headers: Record<string, string> = JSON_HEADERS) =>
      example.fetch("/api/notes", { method: "POST", headers, body });

    /** Expect a JSON error response with exactly this status and body. */
    async function expectError(response: Response, status: number, body: Record<string, string>) {
      expect(response.status).toBe(status);
      expect(response.headers.get("content-type")).toBe("application/json");
      expect(await response.text()).toBe(JSON.stringify(body));
    }

    it("creates, lists, reads and deletes a note", async () => {
      const created = await post('{"title":"  Buy milk ","body":"2 litres"}');
      expect(created.status).toBe(201);
      expect(created.headers.get("location")).toBe("/api/notes/1");
      const note = `{"id":1,"title":"Buy milk","body":"2 litres","done":false,"createdAt":"${createdAt}"}`;
      expect(await created.text()).toBe(note);

      const list = await example.fetch("/api/notes");
      expect(list.status).toBe(200);
      expect(list.headers.get("content-type")).toBe("application/json");
      expect(await list.text()).toBe(`{"notes":[${note}]}`);

      const read = await example.fetch("/api/notes/1");
      expect(read.status).toBe(200);
      expect(await read.text()).toBe(note);

      const deleted = await example.fetch("/api/notes/1", { method: "DELETE" });
      expect(deleted.status).toBe(204);
      expect(await deleted.text()).toBe("");

      await expectError(await example.fetch("/api/notes/1"), 404, {
        error: "not_found",
        message: 'No note with id "1".',
      });
      expect(await (await example.fetch("/api/notes")).text()).toBe('{"notes":[]}');
    });

    it("accepts a charset parameter, done and unicode", async () => {
      const response = await post('{"title":"Café ✓","done":true}', {
        "content-type": "Application/JSON; charset=utf-8",
      });
      expect(response.status).toBe(201);
      const note = await response.json();
      expect(note).toMatchObject({ title: "Café ✓", body: "", done: true, createdAt });
    });

    it("answers 404 for unknown and malformed ids, on GET and DELETE", async () => {
      for (const id of ["999", "0", "abc", "1.5", "-1", "%E0%A4%A"]) {
        const shown = /%E0/.test(id) ? undefined : JSON.stringify(id);
        for (const method of ["GET", "DELETE"]) {
          const response = await example.fetch(`/api/notes/${id}`, { method });
          expect(response.status, `${method} ${id}`).toBe(404);
          const body = await response.json();
          expect(body.error).toBe("not_found");
          if (shown) expect(body.message).toBe(`No note with id ${shown}.`);
        }
      }
    });

    it("answers invalid JSON with 400 invalid_json", async () => {
      for (const body of ["{", '{"title":', "not json", "{'title':'x'}"]) {
        const response = await post(body);
        expect(response.status, body).toBe(400);
        const error = await response.json();
        expect(error.error).toBe("invalid_json");
        expect(error.message).toMatch(/^The body is not valid JSON: /);
        expect(error.field).toBeUndefined();
      }
    });

    it("answers an empty body and invalid UTF-8 with 400 invalid_json", async () => {
      await expectError(await post(""), 400, {
        error: "invalid_json",
        message: "The body is empty: send a JSON object.",
      });
      const response = await example.fetch("/api/notes", {
        method: "POST",
        headers: JSON_HEADERS,
        body: new Uint8Array([0x7b, 0xff, 0x7d]),
      });
      await expectError(response, 400, { error: "invalid_json", message: "The body is not valid UTF-8." });
    });

    it("answers a body that is not an object with 400 invalid_body", async () => {
      for (const body of ["[]", "null", '"title"', "42"]) {
        await expectError(await post(body), 400, {
          error: "invalid_body",
          message: 'The body must be a JSON object like {"title": "Buy milk"}.',
        });
      }
    });

    it("names the missing, unknown or mistyped field in a 400", async () => {
      const cases: [string, Record<string, string>][] = [
        ["{}", { error: "missing_field", message: "title is required.", field: "title" }],
        ['{"body":"x"}', { error: "missing_field", message: "title is required.", field: "title" }],
        ['{"title":42}', { error: "invalid_field", message: "title must be a string.", field: "title" }],
        ['{"title":null}', { error: "invalid_field", message: "title must be a string.", field: "title" }],
        [
          '{"title":"   "}',
          {
            error: "invalid_field",
            message: "title must be 1 to 200 characters, not blank.",
            field: "title",
          },
        ],
        [
          `{"title":"${"x".repeat(201)}"}`,
          {
            error: "invalid_field",
            message: "title must be 1 to 200 characters, not blank.",
            field: "title",
          },
        ],
        [
          '{"title":"a","body":[]}',
          { error: "invalid_field", message: "body must be a string.", field: "body" },
        ],
        [
          `{"title":"a","body":"${"x".repeat(10_001)}"}`,
          { error: "invalid_field", message: "body must be at most 10000 characters.", field: "body" },
        ],
        [
          '{"title":"a","done":"yes"}',
          { error: "invalid_field", message: "done must be true or false.", field: "done" },
        ],
        [
          '{"title":"a","colour":"red"}',
          {
            error: "unknown_field",
            message: "colour is not a note field: use title, body and done.",
            field: "colour",
          },
        ],
      ];
      const before = await (await example.fetch("/api/notes")).text();
      for (const [body, error] of cases) await expectError(await post(body), 400, error);
      expect(await (await example.fetch("/api/notes")).text()).toBe(before);
    });

    it("answers a body that is not JSON with 415", async () => {
      for (const [type, shown] of [
        ["text/plain", '"text/plain"'],
        ["application/x-www-form-urlencoded", '"application/x-www-form-urlencoded"'],
      ]) {
        const response = await post('{"title":"a"}', { "content-type": type });
        expect(response.headers.get("accept-post")).toBe("application/json");
        await expectError(response, 415, {
          error: "unsupported_media_type",
          message: `Send JSON with Content-Type: application/json (got ${shown}).`,
        });
      }
      const untyped = await example.fetch("/api/notes", {
        method: "POST",
        body: new Uint8Array([0x7b, 0x7d]),
      });
      await expectError(untyped, 415, {
        error: "unsupported_media_type",
        message: "Send JSON with Content-Type: application/json (got none).",
      });
    });

    it("answers a JSON body over the limit with 413, announced or streamed", async () => {
      const big = JSON.stringify({ title: "a", body: "x".repeat(20_000) });
      await expectError(await post(big), 413, {
        error: "payload_too_large",
        message: "The body is larger than the limit of 16384 bytes.",
      });
      const streamed = await example.fetch("/api/notes", {
        method: "POST",
        headers: JSON_HEADERS,
        body: new Blob([big]).stream(),
        duplex: "half",
      } as RequestInit);
      expect(streamed.headers.get("connection")).toBe("close");
      await expectError(streamed, 413, {
        error: "payload_too_large",
        message: "The body is larger than the limit of 16384 bytes.",
      });
    });

    it("answers wrong methods with 405 and Allow", async () => {
      for (const [method, path, allow] of [
        ["PUT", "/api/notes", "GET, HEAD, POST, OPTIONS"],
        ["DELETE", "/api/notes", "GET, HEAD, POST, OPTIONS"],
        ["POST", "/api/notes/1", "GET, HEAD, DELETE, OPTIONS"],
        ["PATCH", "/api/notes/1", "GET, HEAD, DELETE, OPTIONS"],
      ]) {
        const response = await example.fetch(path, { method, headers: JSON_HEADERS, body: "{}" });
        expect(response.headers.get("allow")).toBe(allow);
        await expectError(response, 405, {
          error: "method_not_allowed",
          message: `${method} is not allowed on ${path}. Use ${allow}.`,
        });
      }
    });

    it("answers 507 once the store is full, and accepts notes again after a delete", async () => {
      const { notes } = await (await example.fetch("/api/notes")).json();
      for (const { id } of notes) await example.fetch(`/api/notes/${id}`, { method: "DELETE" });
      const ids: number[] = [];
      for (let i = 0; i < 3; i++) {
        const response = await post(JSON.stringify({ title: `note ${i}` }));
        expect(response.status).toBe(201);
        ids.push((await response.json()).id);
      }
      await expectError(await post('{"title":"one too many"}'), 507, {
        error: "store_full",
        message: "The store holds its maximum of 3 notes: delete some first.",
      });
      expect((await example.fetch(`/api/notes/${ids[0]}`, { method: "DELETE" })).status).toBe(204);
      expect((await post('{"title":"fits again"}')).status).toBe(201);
    });
  },
  { maxJsonBytes: 16 * 1024, maxNotes: 3 },
);
