// An http.Agent whose DNS lookup sends the server's host form to the server.
//
// `{apiId}.execute-api.localhost` does not resolve in Node (only `localhost` itself does), and AWS's own hosts
// resolve to AWS. Given an address, the agent resolves every host under .localhost or .amazonaws.com to it and
// leaves any other host to the system, so a client keeps the Host header of the URL it was given, as on AWS.
'use strict';

const dns = require('dns');
const http = require('http');
const net = require('net');

const SERVED = /\.(localhost|amazonaws\.com)$/i;

function resolvingAgent(address) {
  if (!address) return undefined;
  const family = net.isIPv6(address) ? 6 : 4;
  function lookup(hostname, options, callback) {
    if (typeof options === 'function') [options, callback] = [{}, options];
    if (!SERVED.test(hostname)) return dns.lookup(hostname, options, callback);
    // Node 20 asks for every address ({all: true}) to try them in turn; older callers want one.
    if (options && options.all) return process.nextTick(callback, null, [{address, family}]);
    return process.nextTick(callback, null, address, family);
  }
  return new http.Agent({keepAlive: true, lookup});
}

module.exports = {resolvingAgent};
