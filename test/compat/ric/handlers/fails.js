// Fails with an error of its own type.
class QuotaExceeded extends Error {
  constructor(message) {
    super(message);
    this.name = 'QuotaExceeded';
  }
}

exports.handler = async () => {
  throw new QuotaExceeded('quota exceeded for tenant blue');
};
