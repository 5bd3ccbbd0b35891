import { expect } from 'chai';
import { recognizeChoice } from '../../../bots/nlu/choice.js';
import { menuNumber } from '../../../bots/nlu/menu-number.js';

describe('menuNumber', () => {
  it('reads a number alone, with the ways people write it', () => {
    expect(menuNumber('2')).to.equal(2);
    expect(menuNumber(' 3. ')).to.equal(3);
    expect(menuNumber('#4')).to.equal(4);
    expect(menuNumber('opción 5')).to.equal(5);
    expect(menuNumber('Option 6')).to.equal(6);
    expect(menuNumber('12')).to.equal(12);
  });

  it('reads ordinals and number words in both languages', () => {
    expect(menuNumber('la segunda')).to.equal(2);
    expect(menuNumber('tres')).to.equal(3);
    expect(menuNumber('first')).to.equal(1);
    expect(menuNumber('the second')).to.equal(2);
  });

  it('is nothing when the number is part of a sentence, a date or an id', () => {
    expect(menuNumber('pago el 3')).to.equal(undefined);
    expect(menuNumber('15/12')).to.equal(undefined);
    expect(menuNumber('D-100')).to.equal(undefined);
    expect(menuNumber('1234')).to.equal(undefined);
    expect(menuNumber('0')).to.equal(undefined);
  });
});

describe('recognizeChoice', () => {
  const options = [
    { value: 'all', words: ['Todo el saldo: $1,450.50 MXN', 'todo', 'all'] },
    { value: 'F-101', words: ['Factura F-101: $1,200.00 MXN', 'F-101'] },
    { value: 'F-102', words: ['Factura F-102: $250.50 MXN', 'F-102'] },
  ];

  it('picks by the number shown', () => {
    expect(recognizeChoice('1', options)).to.equal('all');
    expect(recognizeChoice('3', options)).to.equal('F-102');
  });

  it('picks by a whole label (a tapped button) or a synonym', () => {
    expect(recognizeChoice('Factura F-101: $1,200.00 MXN', options)).to.equal('F-101');
    expect(recognizeChoice('todo', options)).to.equal('all');
  });

  it('picks by words of exactly one option inside a sentence', () => {
    expect(recognizeChoice('quiero pagar la f-102 por favor', options)).to.equal('F-102');
  });

  it('picks nothing when no option or several fit, or the number is out of range', () => {
    expect(recognizeChoice('4', options)).to.equal(undefined);
    expect(recognizeChoice('la F-101 y la F-102', options)).to.equal(undefined);
    expect(recognizeChoice('mañana', options)).to.equal(undefined);
  });
});
