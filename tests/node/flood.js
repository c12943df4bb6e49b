// Post messages of SIZE bytes to one connection until API Gateway answers LimitExceededException (at most MAX).
//
//   node flood.js ENDPOINT CONNECTION_ID SIZE MAX
//
// As a Node backend written for AWS would (aws-sdk v2, callbacks, err.code), with retries off so that the 429
// comes back at once. Message i is the text `i:` followed by `x`s up to SIZE bytes. Prints
// {"accepted": n, "code": ..., "statusCode": ...}: how many posts succeeded before the first error, and that error.
'use strict';

const AWS = require('aws-sdk');

const [endpoint, connectionId, size, max] = process.argv.slice(2);
const apigatewaymanagementapi = new AWS.ApiGatewayManagementApi({apiVersion: '2018-11-29', endpoint, maxRetries: 0});

function message(index) {
  const head = `${index}:`;
  return head + 'x'.repeat(Number(size) - head.length);
}

function post(index) {
  if (index >= Number(max)) return report({accepted: index, code: null, statusCode: null});
  apigatewaymanagementapi.postToConnection({ConnectionId: connectionId, Data: message(index)}, function (err) {
    // The test expects err.code === 'LimitExceededException' here; any other error is reported the same way.
    if (err) report({accepted: index, code: err.code, statusCode: err.statusCode, message: err.message});
    else post(index + 1);
  });
}

function report(result) {
  process.stdout.write(JSON.stringify(result));
}

post(0);
