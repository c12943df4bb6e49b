// The benchmark application of benchmarks/server_app.py, in Node for serverless-offline: $connect/$disconnect
// keep the connection ids, `echo` posts the message back, `broadcast` posts it to every connection, and
// GET /ping answers "pong". Posts go through aws-sdk v2's ApiGatewayManagementApi, as serverless-offline documents.
'use strict';

const http = require('http');
const AWS = require('aws-sdk');

const connections = new Set();
const clients = new Map();

function management(event) {
  // serverless-offline serves @connections on its WebSocket port; one client per endpoint, made once.
  const endpoint = process.env.CONNECTIONS_ENDPOINT;
  if (!clients.has(endpoint)) {
    // Keep-alive with a bounded pool, as a production backend would: Promise.all over 10,000 connections would
    // otherwise open 10,000 sockets at once and run out of file descriptors.
    const agent = new http.Agent({keepAlive: true, maxSockets: 64});
    clients.set(endpoint, new AWS.ApiGatewayManagementApi({
      apiVersion: '2018-11-29', endpoint, maxRetries: 0, httpOptions: {agent},
    }));
  }
  return clients.get(endpoint);
}

exports.connect = async (event) => {
  connections.add(event.requestContext.connectionId);
  return {statusCode: 200};
};

exports.disconnect = async (event) => {
  connections.delete(event.requestContext.connectionId);
  return {statusCode: 200};
};

exports.echo = async (event) => {
  await management(event).postToConnection({ConnectionId: event.requestContext.connectionId, Data: event.body}).promise();
  return {statusCode: 200};
};

exports.broadcast = async (event) => {
  const api = management(event);
  // All posts at once, as Node code would write it (Promise.all); a gone connection is skipped.
  await Promise.all([...connections].map((ConnectionId) =>
    api.postToConnection({ConnectionId, Data: event.body}).promise().catch((err) => {
      if (err.code !== 'GoneException') throw err;
    })));
  return {statusCode: 200};
};

exports.ping = async () => ({statusCode: 200, body: 'pong'});
