// `@anyserver/adapter-test-suite/fixture`: the fixture as an entry module, for servers that load an app by path.
export { createFixtureApp, type FixtureApp, fixtureApp as default, fixtureApp } from "./fixture.ts";
