// The floor of the `toolkit` case: an action built on the same three toolkit packages as this one,
// bundled with ncc as it is, that fails on a missing input as it does: it reads a required input,
// sets the step's outputs, writes a line to the job summary and fails the step with one
// `::error::`. @actions/core is loaded at
// start, as no action on these packages can read an input without it, and with it the
// @actions/http-client that its OIDC client imports; @actions/github only once the inputs are
// read, as the action loads it for its summary. bench.ts builds it into .bench/toolkit/.
import { appendFileSync } from 'node:fs';
import * as core from '@actions/core';
import { HttpClient } from '@actions/http-client';

try {
  const env = core.getInput('env', { required: true });
  const { context } = await import('@actions/github');
  const client = new HttpClient('floor');
  core.info(`${env} ${context.sha} ${client.userAgent}`);
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  const outputs = {
    status: 'failed',
    code: '',
    errcode: '',
    errmsg: message,
    attempts: 0,
    results: '[]',
    'invoke-results': '',
  };
  for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value);
  const summary = process.env.GITHUB_STEP_SUMMARY;
  if (summary) appendFileSync(summary, `<p>${message}</p>\n`);
  core.setFailed(message);
}
