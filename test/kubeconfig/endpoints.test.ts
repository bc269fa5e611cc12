// The API server URLs kubeconfig files point at (kubeadm util/endpoint.go GetControlPlaneEndpoint).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { controlPlaneEndpointURL, localEndpointURL } from '../../src/kubeconfig/endpoints.js';

const local = { advertiseAddress: '192.0.2.10', bindPort: 6443 };

test('the local endpoint is the advertise address and bind port', () => {
  assert.equal(localEndpointURL(local), 'https://192.0.2.10:6443');
  assert.equal(localEndpointURL({ advertiseAddress: '10.0.0.1', bindPort: 443 }), 'https://10.0.0.1:443');
});

test('an IPv6 advertise address is bracketed', () => {
  assert.equal(localEndpointURL({ advertiseAddress: 'fd00::10', bindPort: 6443 }), 'https://[fd00::10]:6443');
});

test('without a controlPlaneEndpoint the control-plane URL is the local one', () => {
  assert.equal(controlPlaneEndpointURL({ controlPlaneEndpoint: '' }, local), 'https://192.0.2.10:6443');
  assert.equal(controlPlaneEndpointURL({ controlPlaneEndpoint: '' }, { advertiseAddress: 'fd00::10', bindPort: 7443 }), 'https://[fd00::10]:7443');
});

test('a controlPlaneEndpoint with a port is used as given', () => {
  assert.equal(controlPlaneEndpointURL({ controlPlaneEndpoint: 'lb.example.com:443' }, local), 'https://lb.example.com:443');
  assert.equal(controlPlaneEndpointURL({ controlPlaneEndpoint: '198.51.100.7:8443' }, local), 'https://198.51.100.7:8443');
  assert.equal(controlPlaneEndpointURL({ controlPlaneEndpoint: '[fd00::1]:9443' }, local), 'https://[fd00::1]:9443');
});

test('a controlPlaneEndpoint without a port takes the local bind port', () => {
  const local7443 = { advertiseAddress: '192.0.2.10', bindPort: 7443 };
  assert.equal(controlPlaneEndpointURL({ controlPlaneEndpoint: 'lb.example.com' }, local7443), 'https://lb.example.com:7443');
  assert.equal(controlPlaneEndpointURL({ controlPlaneEndpoint: '198.51.100.7' }, local7443), 'https://198.51.100.7:7443');
  assert.equal(controlPlaneEndpointURL({ controlPlaneEndpoint: 'fd00::1' }, local7443), 'https://[fd00::1]:7443');
  assert.equal(controlPlaneEndpointURL({ controlPlaneEndpoint: '[fd00::1]' }, local7443), 'https://[fd00::1]:7443');
});

test('an endpoint validation would refuse falls back to the local address', () => {
  assert.equal(controlPlaneEndpointURL({ controlPlaneEndpoint: 'not_a_host:6443' }, local), 'https://192.0.2.10:6443');
});
