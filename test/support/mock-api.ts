// Tests import the mock Messages API from here, so a move inside src/ touches one file.
export * from '../../src/mockapi/index.js';
