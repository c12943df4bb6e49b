// Make a list of calls with one of the AWS SDKs for JavaScript and print what each returned, as JSON.
//
//   node call.js SDK ENDPOINT < calls.json
//
// SDK is `v2-management` (aws-sdk's AWS.ApiGatewayManagementApi, called as its documentation does, with a
// callback whose err.code names the error), `v3-management` (@aws-sdk/client-apigatewaymanagementapi) or
// `v3-apigatewayv2` (@aws-sdk/client-apigatewayv2). calls.json is a list of {"op": "postToConnection", "params":
// {...}}; a parameter given as {"$base64": "..."} is sent as those bytes (a Buffer for v2, a Uint8Array for v3). Each result is {"op", "data"} or {"op", "code", "statusCode", "message"}. Credentials and the region
// come from the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION), as in any Node backend.
//
// With RESOLVE_TO=ADDRESS in the environment, the clients' HTTP agent resolves every host under .localhost or
// .amazonaws.com to ADDRESS (see agent.js), so ENDPOINT may use the server's host form.
'use strict';

const {resolvingAgent} = require('./agent');

const [sdk, endpoint] = process.argv.slice(2);
const agent = resolvingAgent(process.env.RESOLVE_TO);

function plain(value) {
  // Dates as ISO 8601 and bytes as text, so Python can compare them; drop v3's $metadata.
  return JSON.parse(JSON.stringify(value, function (key, v) {
    if (key === '$metadata') return undefined;
    if (this[key] instanceof Uint8Array) return Buffer.from(this[key]).toString('utf8');
    return v;
  }));
}

function withBytes(params) {
  const out = {};
  for (const [name, value] of Object.entries(params)) {
    out[name] = value && typeof value === 'object' && '$base64' in value ? Buffer.from(value.$base64, 'base64') : value;
  }
  return out;
}

function v2Management() {
  const AWS = require('aws-sdk');
  const options = {apiVersion: '2018-11-29', endpoint, maxRetries: 0};
  if (agent) options.httpOptions = {agent};
  const apigatewaymanagementapi = new AWS.ApiGatewayManagementApi(options);
  return (op, params) => new Promise((resolve) => {
    apigatewaymanagementapi[op](params, function (err, data) {
      if (err) resolve({op, code: err.code, statusCode: err.statusCode, message: err.message});
      else resolve({op, data: plain(data)});
    });
  });
}

function v3(moduleName, clientName) {
  const sdkModule = require(moduleName);
  const options = {endpoint, maxAttempts: 1};
  // The handler's options, as NodeHttpHandler takes them: its http.Agent (no extra package needed).
  if (agent) options.requestHandler = {httpAgent: agent};
  const client = new sdkModule[clientName](options);
  return async (op, params) => {
    const Command = sdkModule[op[0].toUpperCase() + op.slice(1) + 'Command'];
    try {
      return {op, data: plain(await client.send(new Command(params)))};
    } catch (err) {
      return {op, code: err.name, statusCode: err.$metadata && err.$metadata.httpStatusCode, message: err.message};
    }
  };
}

const clients = {
  'v2-management': v2Management,
  'v3-management': () => v3('@aws-sdk/client-apigatewaymanagementapi', 'ApiGatewayManagementApiClient'),
  'v3-apigatewayv2': () => v3('@aws-sdk/client-apigatewayv2', 'ApiGatewayV2Client'),
};

async function main() {
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  const call = clients[sdk]();
  const results = [];
  for (const {op, params} of JSON.parse(input)) results.push(await call(op, withBytes(params || {})));
  process.stdout.write(JSON.stringify(results));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
